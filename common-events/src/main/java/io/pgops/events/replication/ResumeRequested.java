package io.pgops.events.replication;

import io.pgops.events.EventDoc;
import io.pgops.events.OperatorCommand;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;

/**
 * Command: end maintenance mode: pgops manages the cluster's roles again.
 *
 * @param cluster the cluster
 * @param principal who asked (user or service account)
 * @param reason why, in words
 */
@EventDoc("Command: end maintenance mode; pgops manages the cluster's roles again.")
public record ResumeRequested(ClusterId cluster, String principal, String reason)
        implements ReplicationEvent, OperatorCommand {
    public ResumeRequested {
        Require.nonNull(cluster, "cluster");
        Require.text(principal, "principal");
        Require.text(reason, "reason");
    }
}
