package io.pgops.events.maintenance;

import io.pgops.events.EventDoc;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import java.time.Instant;

/**
 * A maintenance task failed or was cancelled.
 *
 * @param cluster the cluster
 * @param taskId the task run's id, as in {@link MaintenanceStarted}
 * @param node the node it ran on
 * @param task what ran
 * @param target the object
 * @param error the error, e.g. {@code "canceling statement due to lock timeout"}
 * @param durationMillis how long it ran before failing, milliseconds
 * @param failedAt when it failed (UTC instant)
 */
@EventDoc("A maintenance task failed or was cancelled; carries the error.")
public record MaintenanceFailed(
        ClusterId cluster,
        String taskId,
        NodeName node,
        String task,
        String target,
        String error,
        long durationMillis,
        Instant failedAt)
        implements MaintenanceEvent {
    public MaintenanceFailed {
        Require.nonNull(cluster, "cluster");
        Require.text(taskId, "taskId");
        Require.nonNull(node, "node");
        Require.text(task, "task");
        Require.text(target, "target");
        Require.text(error, "error");
        Require.nonNegative(durationMillis, "durationMillis");
        Require.nonNull(failedAt, "failedAt");
    }
}
