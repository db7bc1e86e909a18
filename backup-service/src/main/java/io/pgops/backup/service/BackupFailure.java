package io.pgops.backup.service;

/**
 * A backup did not complete. {@code stage} as in {@code BackupFailed}: {@code start} (the node did not answer
 * as a replication source), {@code copy} (pg_basebackup failed), {@code store} (the repository refused).
 * The message holds the reason and the tool's last lines of output, never a password.
 */
public final class BackupFailure extends Exception {
    private final String stage;
    private final String toolOutput;

    public BackupFailure(String stage, String reason, String toolOutput) {
        super(reason);
        this.stage = stage;
        this.toolOutput = toolOutput == null ? "" : toolOutput;
    }

    public String stage() {
        return stage;
    }

    /** The tool's last lines (may be empty). */
    public String toolOutput() {
        return toolOutput;
    }

    /** The reason followed by the tool's last lines, as {@code BackupFailed.error} carries it. */
    public String error() {
        return toolOutput.isBlank() ? getMessage() : getMessage() + "\n" + toolOutput;
    }
}
