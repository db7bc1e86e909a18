package io.pgops.events.backup;

import io.pgops.events.PgopsEvent;

/** Commands to and facts of the backup service: base backups, verification, restores and WAL archiving. */
public sealed interface BackupEvent extends PgopsEvent
        permits BackupRequested,
                BackupStarted,
                BackupCompleted,
                BackupFailed,
                BackupVerified,
                BackupVerificationFailed,
                RestoreRequested,
                RestoreCompleted,
                RestoreFailed,
                WalArchiveGapDetected {}
