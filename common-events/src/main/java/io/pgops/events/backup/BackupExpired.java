package io.pgops.events.backup;

import io.pgops.events.EventDoc;
import io.pgops.events.Nullable;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.Timeline;
import java.time.Instant;

/**
 * Retention deleted a backup from its repository and its catalogue: a restore can no longer start from it, and
 * WAL older than the oldest backup still kept may be removed from the archive after it. A logical dump deleted by
 * its own retention has no timeline nor LSNs.
 *
 * @param cluster the cluster the backup was of
 * @param backupId the deleted backup's id
 * @param repository the repository it was deleted from
 * @param timeline the timeline the backup ended on; {@code null} for a logical dump
 * @param startLsn the deleted backup's start position; {@code null} for a logical dump
 * @param stopLsn the deleted backup's end position; {@code null} for a logical dump
 * @param freedBytes what the backup took in the repository (its stored size), bytes
 * @param completedAt when the deleted backup had completed (UTC instant)
 * @param reason why retention let it go, in words, e.g. {@code "older than the newest 7 backups and than 14
 *     days"}
 * @param expiredAt when it was deleted (UTC instant)
 * @param kind {@code physical} or {@code logical} ({@link BackupKind}); {@code null} from producers before it
 *     existed, meaning {@code physical}
 */
@EventDoc("Retention deleted a backup from its repository and catalogue; says which and why.")
public record BackupExpired(
        ClusterId cluster,
        String backupId,
        String repository,
        @Nullable Timeline timeline,
        @Nullable Lsn startLsn,
        @Nullable Lsn stopLsn,
        long freedBytes,
        Instant completedAt,
        String reason,
        Instant expiredAt,
        @Nullable String kind)
        implements BackupEvent {
    public BackupExpired {
        Require.nonNull(cluster, "cluster");
        Require.text(backupId, "backupId");
        Require.text(repository, "repository");
        if (kind != null && !BackupKind.ALL.contains(kind)) {
            throw new IllegalArgumentException("kind must be one of " + BackupKind.ALL + " but was '" + kind + "'");
        }
        if (!BackupKind.LOGICAL.equals(kind)) {
            Require.nonNull(timeline, "timeline");
            Require.nonNull(startLsn, "startLsn");
            Require.nonNull(stopLsn, "stopLsn");
        }
        if (startLsn != null && stopLsn != null && stopLsn.compareTo(startLsn) < 0) {
            throw new IllegalArgumentException("stopLsn " + stopLsn + " is before startLsn " + startLsn);
        }
        Require.nonNegative(freedBytes, "freedBytes");
        Require.nonNull(completedAt, "completedAt");
        Require.text(reason, "reason");
        Require.nonNull(expiredAt, "expiredAt");
    }
}
