package io.pgops.events.health;

import io.pgops.events.EventDoc;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import java.time.Instant;

/**
 * A health check that had failed on a node is back within its threshold.
 *
 * @param cluster the cluster probed
 * @param node the node the check ran on
 * @param check the check's stable name, as in {@link HealthCheckFailed#check()}
 * @param measured the measured value, in {@code unit}
 * @param threshold the configured limit the value is now within, in {@code unit}
 * @param unit the unit of {@code measured} and {@code threshold}
 * @param evidence what was seen, in words, e.g. {@code "120 of 200 connections in use"}
 * @param probedAt when the probe ran (UTC instant)
 */
@EventDoc("A health check that had failed on a node is within its threshold again.")
public record HealthCheckRecovered(
        ClusterId cluster,
        NodeName node,
        String check,
        double measured,
        double threshold,
        String unit,
        String evidence,
        Instant probedAt)
        implements HealthEvent {
    public HealthCheckRecovered {
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
