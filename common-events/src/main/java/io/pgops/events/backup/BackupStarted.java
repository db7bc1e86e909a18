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
 * A backup began.
 *
 * @param cluster the cluster backed up
 * @param backupId the backup's id, unique within the repository, e.g. {@code 20261125T021500Z-db2-physical}
 * @param kind {@code physical} or {@code logical} (see {@link BackupKind})
 * @param node the node it is taken from
 * @param repository the repository it is written to
 * @param timeline the node's timeline when the backup began
 * @param startLsn the backup's start position (the checkpoint {@code pg_backup_start} waited for); {@code null}
 *     for a logical backup
 * @param startedAt when the backup began (UTC instant)
 */
@EventDoc("A backup began on a node; for a physical backup reports its start LSN.")
public record BackupStarted(
        ClusterId cluster,
        String backupId,
        String kind,
        NodeName node,
        String repository,
        Timeline timeline,
        @Nullable Lsn startLsn,
        Instant startedAt)
        implements BackupEvent {
    public BackupStarted {
        Require.nonNull(cluster, "cluster");
        Require.text(backupId, "backupId");
        Require.oneOf(kind, "kind", BackupKind.ALL);
        Require.nonNull(node, "node");
        Require.text(repository, "repository");
        Require.nonNull(timeline, "timeline");
        Require.nonNull(startedAt, "startedAt");
    }
}
