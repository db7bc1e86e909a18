package io.pgops.events.replication;

import io.pgops.events.EventDoc;
import io.pgops.events.Nullable;
import io.pgops.events.OperatorCommand;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Term;

/**
 * Command: make a given standby the primary.
 *
 * @param cluster the cluster
 * @param node the standby to promote
 * @param force {@code true} to promote even when the safety checks refuse (the standby lags, or the current
 *     primary still answers); may lose committed transactions
 * @param principal who asked (user or service account)
 * @param reason why, in words
 * @param term the term of the topology the command was issued against (compare and set): a coordinator
 *     whose cluster is at another term by the time it reads the command refuses it ({@code stale-term}),
 *     so a command that waited in the topic never acts on a topology it was not meant for; null (a
 *     client that predates it) is not checked
 */
@EventDoc("Command: promote the named standby to primary, fencing the current primary first.")
public record PromoteRequested(
        ClusterId cluster,
        NodeName node,
        boolean force,
        String principal,
        String reason,
        @Nullable Term term) implements ReplicationEvent, OperatorCommand, Termed {
    public PromoteRequested {
        Require.nonNull(cluster, "cluster");
        Require.nonNull(node, "node");
        Require.text(principal, "principal");
        Require.text(reason, "reason");
    }

    /** Without a term: not compared. */
    public PromoteRequested(ClusterId cluster, NodeName node, boolean force, String principal, String reason) {
        this(cluster, node, force, principal, reason, null);
    }
}
