package io.pgops.events.replication;

import io.pgops.events.EventDoc;
import io.pgops.events.OperatorCommand;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;

/**
 * Command: rebuild a standby from the current primary with {@code pg_basebackup} (its data directory is
 * replaced), e.g. after its disk was lost or its WAL diverged beyond what {@code pg_rewind} can repair.
 *
 * @param cluster the cluster
 * @param node the standby to rebuild (never the primary)
 * @param principal who asked (user or service account)
 * @param reason why, in words
 */
@EventDoc("Command: rebuild the named standby from the current primary (its data directory is replaced).")
public record ReinitRequested(ClusterId cluster, NodeName node, String principal, String reason)
        implements ReplicationEvent, OperatorCommand {
    public ReinitRequested {
        Require.nonNull(cluster, "cluster");
        Require.nonNull(node, "node");
        Require.text(principal, "principal");
        Require.text(reason, "reason");
    }
}
