package io.pgops.events.backup;

import io.pgops.events.EventDoc;
import io.pgops.events.Nullable;
import io.pgops.events.OperatorCommand;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import java.time.Instant;

/**
 * Command: restore a node from a physical backup and archived WAL, optionally to a point in time (PITR). At most
 * one of {@code targetTime} and {@code targetLsn} may be set; with neither, recovery replays all archived WAL.
 *
 * @param cluster the cluster whose backups to use
 * @param backupId the backup to start from; {@code null} for the newest one before the target
 * @param targetNode the node to (re)create from the backup; its data directory is replaced
 * @param targetTime recover up to this commit time ({@code recovery_target_time}, UTC instant); {@code null} for
 *     none
 * @param targetLsn recover up to this WAL position ({@code recovery_target_lsn}); {@code null} for none
 * @param principal who asked (user or service account)
 * @param reason why, in words, e.g. {@code "orders table dropped by mistake at 14:02"}
 * @param targetDirectory the data directory to restore into, on the backup service's host (absolute path; it must
 *     be empty or not exist); {@code null} when the restore re-creates {@code targetNode} in its own place
 */
@EventDoc("Command: restore a node from a backup and archived WAL, optionally to a point in time.")
public record RestoreRequested(
        ClusterId cluster,
        @Nullable String backupId,
        NodeName targetNode,
        @Nullable Instant targetTime,
        @Nullable Lsn targetLsn,
        String principal,
        String reason,
        @Nullable String targetDirectory)
        implements BackupEvent, OperatorCommand {
    public RestoreRequested {
        Require.nonNull(cluster, "cluster");
        Require.optionalText(backupId, "backupId");
        Require.nonNull(targetNode, "targetNode");
        if (targetTime != null && targetLsn != null) {
            throw new IllegalArgumentException("set at most one of targetTime and targetLsn");
        }
        Require.text(principal, "principal");
        Require.text(reason, "reason");
        Require.optionalText(targetDirectory, "targetDirectory");
    }

    /** A restore that re-creates {@code targetNode} in its own place (no {@code targetDirectory}). */
    public RestoreRequested(
            ClusterId cluster,
            String backupId,
            NodeName targetNode,
            Instant targetTime,
            Lsn targetLsn,
            String principal,
            String reason) {
        this(cluster, backupId, targetNode, targetTime, targetLsn, principal, reason, null);
    }
}
