package io.pgops.events.backup;

import io.pgops.events.PgopsEvent;

/** Commands to and facts of the backup service: base backups, verification, retention, restores and WAL
 * archiving. */
public sealed interface BackupEvent extends PgopsEvent
        permits BackupRequested,
                BackupStarted,
                BackupCompleted,
                BackupFailed,
                BackupVerified,
                BackupVerificationFailed,
                BackupExpired,
                RestoreRequested,
                RestoreCompleted,
                RestoreFailed,
                WalArchiveGapDetected {}
