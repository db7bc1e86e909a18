package io.pgops.events.backup;

import io.pgops.events.EventDoc;
import io.pgops.events.Nullable;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import java.time.Instant;

/**
 * A backup did not complete; nothing usable was stored.
 *
 * @param cluster the cluster
 * @param backupId the backup's id
 * @param kind {@code physical} or {@code logical} (see {@link BackupKind})
 * @param node the node it was taken from; {@code null} if no node could be chosen
 * @param repository the repository it was to be written to
 * @param stage where it failed: {@code select-node}, {@code start}, {@code copy}, {@code upload},
 *     {@code wal-wait} (waiting for the last WAL segment to be archived)
 * @param error the error, e.g. {@code "pg_basebackup: error: could not connect: connection refused"}
 * @param durationMillis from start to failure, milliseconds
 * @param failedAt when it failed (UTC instant)
 */
@EventDoc("A backup did not complete; says at which stage and with which error.")
public record BackupFailed(
        ClusterId cluster,
        String backupId,
        String kind,
        @Nullable NodeName node,
        String repository,
        String stage,
        String error,
        long durationMillis,
        Instant failedAt)
        implements BackupEvent {
    public BackupFailed {
        Require.nonNull(cluster, "cluster");
        Require.text(backupId, "backupId");
        Require.oneOf(kind, "kind", BackupKind.ALL);
        Require.text(repository, "repository");
        Require.text(stage, "stage");
        Require.text(error, "error");
        Require.nonNegative(durationMillis, "durationMillis");
        Require.nonNull(failedAt, "failedAt");
    }
}
