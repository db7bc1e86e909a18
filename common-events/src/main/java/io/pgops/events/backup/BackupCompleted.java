package io.pgops.events.backup;

import io.pgops.events.EventDoc;
import io.pgops.events.Nullable;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Timeline;
import java.time.Instant;

/**
 * A backup finished and is stored in its repository (not yet verified: see {@link BackupVerified}).
 *
 * @param cluster the cluster backed up
 * @param backupId the backup's id
 * @param kind {@code physical} or {@code logical} (see {@link BackupKind})
 * @param node the node it was taken from
 * @param repository the repository it is stored in
 * @param timeline the node's timeline during the backup
 * @param startLsn the backup's start position; {@code null} for a logical backup
 * @param stopLsn the backup's end position: a restore is consistent once WAL is replayed up to here;
 *     {@code null} for a logical backup
 * @param sizeBytes the stored size (after compression), bytes
 * @param rawBytes the size before compression (for a physical backup: the data directory's files per the backup
 *     manifest plus the WAL streamed with them), bytes; {@code null} when the producer did not measure it (events
 *     published before this field existed)
 * @param durationMillis from start to completion, milliseconds
 * @param completedAt when the backup was stored (UTC instant)
 */
@EventDoc("A backup finished and is stored; reports its LSN range, size and duration.")
public record BackupCompleted(
        ClusterId cluster,
        String backupId,
        String kind,
        NodeName node,
        String repository,
        Timeline timeline,
        @Nullable Lsn startLsn,
        @Nullable Lsn stopLsn,
        long sizeBytes,
        @Nullable Long rawBytes,
        long durationMillis,
        Instant completedAt)
        implements BackupEvent {
    public BackupCompleted {
        Require.nonNull(cluster, "cluster");
        Require.text(backupId, "backupId");
        Require.oneOf(kind, "kind", BackupKind.ALL);
        Require.nonNull(node, "node");
        Require.text(repository, "repository");
        Require.nonNull(timeline, "timeline");
        if (startLsn != null && stopLsn != null && stopLsn.compareTo(startLsn) < 0) {
            throw new IllegalArgumentException("stopLsn " + stopLsn + " is before startLsn " + startLsn);
        }
        Require.nonNegative(sizeBytes, "sizeBytes");
        Require.optionalNonNegative(rawBytes, "rawBytes");
        Require.nonNegative(durationMillis, "durationMillis");
        Require.nonNull(completedAt, "completedAt");
    }

    /** A backup whose size before compression was not measured ({@code rawBytes} null). */
    public BackupCompleted(
            ClusterId cluster,
            String backupId,
            String kind,
            NodeName node,
            String repository,
            Timeline timeline,
            Lsn startLsn,
            Lsn stopLsn,
            long sizeBytes,
            long durationMillis,
            Instant completedAt) {
        this(
                cluster,
                backupId,
                kind,
                node,
                repository,
                timeline,
                startLsn,
                stopLsn,
                sizeBytes,
                null,
                durationMillis,
                completedAt);
    }
}
