package io.pgops.events.maintenance;

import io.pgops.events.EventDoc;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import java.time.Instant;

/**
 * A maintenance task finished.
 *
 * @param cluster the cluster
 * @param taskId the task run's id, as in {@link MaintenanceStarted}
 * @param node the node it ran on
 * @param task what ran
 * @param target the object
 * @param reclaimedBytes disk space given back (relation size before minus after), bytes; 0 if none or not
 *     applicable
 * @param durationMillis how long it ran, milliseconds
 * @param summary the outcome in words, e.g. {@code "removed 2.1M dead tuples; relfrozenxid age 1.4G -> 52M"}
 * @param completedAt when it finished (UTC instant)
 */
@EventDoc("A maintenance task finished; reports duration, reclaimed space and a summary.")
public record MaintenanceCompleted(
        ClusterId cluster,
        String taskId,
        NodeName node,
        String task,
        String target,
        long reclaimedBytes,
        long durationMillis,
        String summary,
        Instant completedAt)
        implements MaintenanceEvent {
    public MaintenanceCompleted {
        Require.nonNull(cluster, "cluster");
        Require.text(taskId, "taskId");
        Require.nonNull(node, "node");
        Require.text(task, "task");
        Require.text(target, "target");
        Require.nonNegative(reclaimedBytes, "reclaimedBytes");
        Require.nonNegative(durationMillis, "durationMillis");
        Require.text(summary, "summary");
        Require.nonNull(completedAt, "completedAt");
    }
}
