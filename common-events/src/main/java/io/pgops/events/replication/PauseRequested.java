package io.pgops.events.replication;

import io.pgops.events.EventDoc;
import io.pgops.events.OperatorCommand;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;

/**
 * Command: put the cluster in maintenance mode: pgops changes no roles by itself (no automatic failover,
 * no rejoin) and refuses switchovers until {@link ResumeRequested}; operators may still promote by hand.
 *
 * @param cluster the cluster
 * @param principal who asked (user or service account)
 * @param reason why, in words
 */
@EventDoc("Command: maintenance mode: pgops changes no roles by itself until the cluster is resumed.")
public record PauseRequested(ClusterId cluster, String principal, String reason)
        implements ReplicationEvent, OperatorCommand {
    public PauseRequested {
        Require.nonNull(cluster, "cluster");
        Require.text(principal, "principal");
        Require.text(reason, "reason");
    }
}
