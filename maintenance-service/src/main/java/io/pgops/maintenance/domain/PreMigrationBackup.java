package io.pgops.maintenance.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * What a migration does when its pre-migration backup answers, or does not: the script runs only after the
 * backup-service has stored and verified the schema-only dump of the database ({@code BackupCompleted}, kind
 * {@code logical}); a failed dump or one that does not come within the deadline fails the migration, and
 * nothing runs. An answer for a migration that is no longer waiting (a replay, or a dump that came after the
 * deadline) changes nothing.
 */
public final class PreMigrationBackup {
    private PreMigrationBackup() {}

    public enum Action {
        APPLY,
        FAIL,
        IGNORE
    }

    /** What to do, and why in words. */
    public record Decision(Action action, String reason) {}

    /** The backup-service reported the dump stored and verified. */
    public static Decision completed(MigrationState state, String kind, String backupId) {
        if (state != MigrationState.BACKING_UP) {
            return new Decision(Action.IGNORE, "backup " + backupId + " came while the migration is " + state.code());
        }
        if (!"logical".equals(kind)) {
            return new Decision(
                    Action.IGNORE, "backup " + backupId + " is " + kind + ", not the schema-only dump it waits for");
        }
        return new Decision(Action.APPLY, "pre-migration schema-only dump " + backupId + " stored and verified");
    }

    /** The backup-service reported the dump failed. */
    public static Decision failed(MigrationState state, String stage, String error) {
        if (state != MigrationState.BACKING_UP) {
            return new Decision(Action.IGNORE, "a backup failure came while the migration is " + state.code());
        }
        return new Decision(
                Action.FAIL, "pre-migration backup failed at " + stage + ": " + error + "; nothing was run");
    }

    /** Whether the wait for the dump is over. */
    public static Decision atDeadline(MigrationState state, Instant requestedAt, Instant now, Duration timeout) {
        if (state != MigrationState.BACKING_UP || now.isBefore(requestedAt.plus(timeout))) {
            return new Decision(Action.IGNORE, "still within the deadline or no longer waiting");
        }
        return new Decision(
                Action.FAIL, "pre-migration backup did not complete in " + timeout.toSeconds() + " s; nothing was run");
    }
}
