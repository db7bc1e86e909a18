package io.pgops.events.health;

import io.pgops.events.EventDoc;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import java.time.Instant;

/**
 * A health check crossed its threshold on a node (it was passing before).
 *
 * @param cluster the cluster probed
 * @param node the node the check ran on
 * @param check the check's stable name, e.g. {@code connections-used}, {@code xid-age}, {@code slot-retained-wal}
 * @param measured the measured value, in {@code unit}
 * @param threshold the configured limit the value crossed, in {@code unit}
 * @param unit the unit of {@code measured} and {@code threshold}, e.g. {@code ratio}, {@code bytes},
 *     {@code transactions}, {@code milliseconds}
 * @param evidence what was seen, in words, e.g. {@code "191 of 200 connections in use (max_connections=200)"}
 * @param probedAt when the probe ran (UTC instant)
 */
@EventDoc("A health check on a node crossed its threshold; the evidence says what was measured.")
public record HealthCheckFailed(
        ClusterId cluster,
        NodeName node,
        String check,
        double measured,
        double threshold,
        String unit,
        String evidence,
        Instant probedAt)
        implements HealthEvent {
    public HealthCheckFailed {
        Require.nonNull(cluster, "cluster");
        Require.nonNull(node, "node");
        Require.text(check, "check");
        Require.finite(measured, "measured");
        Require.finite(threshold, "threshold");
        Require.text(unit, "unit");
        Require.text(evidence, "evidence");
        Require.nonNull(probedAt, "probedAt");
    }
}
