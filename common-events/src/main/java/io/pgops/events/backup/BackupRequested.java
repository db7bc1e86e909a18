package io.pgops.events.backup;

import io.pgops.events.EventDoc;
import io.pgops.events.Nullable;
import io.pgops.events.OperatorCommand;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;

/**
 * Command: take a backup now (scheduled backups are requested by the backup service itself, with principal
 * {@code scheduler}).
 *
 * @param cluster the cluster to back up
 * @param kind {@code physical} or {@code logical} (see {@link BackupKind})
 * @param node the node to take it from; {@code null} to let the service choose (a caught-up standby if any)
 * @param repository the repository to write to, e.g. {@code s3-eu-central}; {@code null} for the cluster's default
 * @param principal who asked (user or service account)
 * @param reason why, in words, e.g. {@code "before upgrading to PostgreSQL 17"}
 */
@EventDoc("Command: take a physical or logical backup of the cluster now.")
public record BackupRequested(
        ClusterId cluster,
        String kind,
        @Nullable NodeName node,
        @Nullable String repository,
        String principal,
        String reason)
        implements BackupEvent, OperatorCommand {
    public BackupRequested {
        Require.nonNull(cluster, "cluster");
        Require.oneOf(kind, "kind", BackupKind.ALL);
        Require.optionalText(repository, "repository");
        Require.text(principal, "principal");
        Require.text(reason, "reason");
    }
}
