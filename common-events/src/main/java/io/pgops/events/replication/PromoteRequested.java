package io.pgops.events.replication;

import io.pgops.events.EventDoc;
import io.pgops.events.OperatorCommand;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;

/**
 * Command: make a given standby the primary.
 *
 * @param cluster the cluster
 * @param node the standby to promote
 * @param force {@code true} to promote even when the safety checks refuse (the standby lags, or the current
 *     primary still answers); may lose committed transactions
 * @param principal who asked (user or service account)
 * @param reason why, in words
 */
@EventDoc("Command: promote the named standby to primary, fencing the current primary first.")
public record PromoteRequested(ClusterId cluster, NodeName node, boolean force, String principal, String reason)
        implements ReplicationEvent, OperatorCommand {
    public PromoteRequested {
        Require.nonNull(cluster, "cluster");
        Require.nonNull(node, "node");
        Require.text(principal, "principal");
        Require.text(reason, "reason");
    }
}
