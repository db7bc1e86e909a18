package io.pgops.events.maintenance;

import io.pgops.events.EventDoc;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import java.time.Instant;

/**
 * A maintenance task began.
 *
 * @param cluster the cluster
 * @param taskId the task run's id, unique per cluster, repeated by the completion or failure event
 * @param node the node it runs on
 * @param task what runs, as in {@link MaintenanceDue#task()}
 * @param target the object, as in {@link MaintenanceDue#target()}
 * @param startedAt when it began (UTC instant)
 */
@EventDoc("A maintenance task began on a node.")
public record MaintenanceStarted(
        ClusterId cluster, String taskId, NodeName node, String task, String target, Instant startedAt)
        implements MaintenanceEvent {
    public MaintenanceStarted {
        Require.nonNull(cluster, "cluster");
        Require.text(taskId, "taskId");
        Require.nonNull(node, "node");
        Require.text(task, "task");
        Require.text(target, "target");
        Require.nonNull(startedAt, "startedAt");
    }
}
