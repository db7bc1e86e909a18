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
 * A restore finished: the node recovered to its target and was promoted onto a new timeline.
 *
 * @param cluster the cluster whose backup was used
 * @param backupId the backup restored
 * @param targetNode the node restored
 * @param targetTime the requested recovery target time (UTC instant); {@code null} if none was requested
 * @param targetLsn the requested recovery target position; {@code null} if none was requested
 * @param recoveredToLsn the WAL position recovery actually stopped at
 * @param timeline the timeline the restored node writes after recovery
 * @param walReplayedBytes WAL replayed from the archive on top of the backup ({@code recoveredToLsn} minus the
 *     backup's start LSN), bytes
 * @param durationMillis from the request being accepted until the node accepted connections, milliseconds
 * @param completedAt when the restore finished (UTC instant)
 */
@EventDoc("A restore finished: the node recovered to its target and opened on a new timeline.")
public record RestoreCompleted(
        ClusterId cluster,
        String backupId,
        NodeName targetNode,
        @Nullable Instant targetTime,
        @Nullable Lsn targetLsn,
        Lsn recoveredToLsn,
        Timeline timeline,
        long walReplayedBytes,
        long durationMillis,
        Instant completedAt)
        implements BackupEvent {
    public RestoreCompleted {
        Require.nonNull(cluster, "cluster");
        Require.text(backupId, "backupId");
        Require.nonNull(targetNode, "targetNode");
        Require.nonNull(recoveredToLsn, "recoveredToLsn");
        Require.nonNull(timeline, "timeline");
        Require.nonNegative(walReplayedBytes, "walReplayedBytes");
        Require.nonNegative(durationMillis, "durationMillis");
        Require.nonNull(completedAt, "completedAt");
    }
}
