package io.pgops.pgtools;

/** A tool exited non-zero; the message carries what it printed. */
public final class CommandFailedException extends RuntimeException {
    public CommandFailedException(String command, int exitCode, String output) {
        super(command + " failed (exit " + exitCode + "): " + output.strip());
    }
}
