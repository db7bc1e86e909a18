package io.pgops.events.replication;

import io.pgops.events.EventDoc;
import io.pgops.events.OperatorCommand;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;

/**
 * Command: cancel the cluster's scheduled switchover ({@link ScheduledSwitchover}) before it starts.
 *
 * @param cluster the cluster
 * @param principal who asked (user or service account)
 * @param reason why, in words
 */
@EventDoc("Command: cancel the cluster's scheduled switchover before it starts.")
public record SwitchoverCancellationRequested(ClusterId cluster, String principal, String reason)
        implements ReplicationEvent, OperatorCommand {
    public SwitchoverCancellationRequested {
        Require.nonNull(cluster, "cluster");
        Require.text(principal, "principal");
        Require.text(reason, "reason");
    }
}
