package io.pgops.events.maintenance;

import io.pgops.events.EventDoc;
import io.pgops.events.Nullable;
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
 * @param deadTuplesBefore the table's dead tuples ({@code pg_stat_all_tables.n_dead_tup}) just before the task;
 *     {@code null} if not measured (e.g. an index task)
 * @param deadTuplesAfter the table's dead tuples just after the task; {@code null} if not measured
 * @param sizeBytesBefore the target's size just before the task ({@code pg_relation_size} of the table or
 *     index), bytes; {@code null} if not measured
 * @param sizeBytesAfter the target's size just after the task, bytes; {@code null} if not measured or the
 *     target no longer exists (a dropped invalid index: its size is then 0 and {@code reclaimedBytes} says so)
 * @param durationMillis how long it ran, milliseconds
 * @param summary the outcome in words, e.g. {@code "removed 2.1M dead tuples; relfrozenxid age 1.4G -> 52M"}
 * @param completedAt when it finished (UTC instant)
 */
@EventDoc(
        "A maintenance task finished; reports duration, reclaimed space, dead tuples and size before and after, and a summary.")
public record MaintenanceCompleted(
        ClusterId cluster,
        String taskId,
        NodeName node,
        String task,
        String target,
        long reclaimedBytes,
        @Nullable Long deadTuplesBefore,
        @Nullable Long deadTuplesAfter,
        @Nullable Long sizeBytesBefore,
        @Nullable Long sizeBytesAfter,
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
        Require.optionalNonNegative(deadTuplesBefore, "deadTuplesBefore");
        Require.optionalNonNegative(deadTuplesAfter, "deadTuplesAfter");
        Require.optionalNonNegative(sizeBytesBefore, "sizeBytesBefore");
        Require.optionalNonNegative(sizeBytesAfter, "sizeBytesAfter");
        Require.nonNegative(durationMillis, "durationMillis");
        Require.text(summary, "summary");
        Require.nonNull(completedAt, "completedAt");
    }
}
