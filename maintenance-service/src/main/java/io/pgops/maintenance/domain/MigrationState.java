package io.pgops.maintenance.domain;

import java.util.Locale;

/** Where a migration is; the wire code is the lower-case name ({@code backing-up}). */
public enum MigrationState {
    /** Accepted; {@code MigrationRequested} is being published. */
    REQUESTED,
    /** Waiting for the backup-service's schema-only dump ({@code BackupCompleted} under its correlation id). */
    BACKING_UP,
    /** The script runs on the primary. */
    APPLYING,
    /** Committed ({@code MigrationApplied}); its version is in the ledger. */
    APPLIED,
    /** Not applied ({@code MigrationFailed} says why). */
    FAILED;

    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public boolean done() {
        return this == APPLIED || this == FAILED;
    }
}
