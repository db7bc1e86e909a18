package io.pgops.events.maintenance;

import io.pgops.events.EventDoc;
import io.pgops.events.Nullable;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import java.time.Instant;

/**
 * The maintenance service decided that a task is needed on an object, e.g. a manual {@code VACUUM (FREEZE)}
 * because autovacuum falls behind.
 *
 * @param cluster the cluster
 * @param node the node to run it on (normally the primary); {@code null} for any node of the cluster
 * @param task what to run: {@code vacuum}, {@code vacuum-freeze}, {@code analyze}, {@code reindex},
 *     {@code cluster-checkpoint}, …
 * @param target the object, qualified: {@code database}, {@code database.schema.table} or
 *     {@code database.schema.index}
 * @param reason why, with the numbers, e.g. {@code "2.1M dead tuples are 34% of 6.2M live (limit 20%)"}
 * @param dueBy the latest time it should run (UTC instant), e.g. before {@code age(relfrozenxid)} reaches
 *     {@code autovacuum_freeze_max_age}; {@code null} if not urgent
 * @param decidedAt when the decision was taken (UTC instant)
 */
@EventDoc("The maintenance service decided a task (vacuum, analyze, reindex, …) is needed; the reason has the numbers.")
public record MaintenanceDue(
        ClusterId cluster,
        @Nullable NodeName node,
        String task,
        String target,
        String reason,
        @Nullable Instant dueBy,
        Instant decidedAt)
        implements MaintenanceEvent {
    public MaintenanceDue {
        Require.nonNull(cluster, "cluster");
        Require.text(task, "task");
        Require.text(target, "target");
        Require.text(reason, "reason");
        Require.nonNull(decidedAt, "decidedAt");
    }
}
