package io.pgops.events.health;

import io.pgops.events.EventDoc;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import java.time.Instant;

/**
 * A security finding is gone: the check passed again as often as a recovery needs. Carries the correlation id of its
 * {@code SecurityFindingDetected}.
 *
 * @param cluster the cluster probed
 * @param node the node the finding was on
 * @param finding the security check's stable name, as {@code SecurityFindingDetected} named it
 * @param evidence what is seen now, in words, e.g. {@code "ssl is on"}
 * @param openForMillis how long the finding was open, milliseconds
 * @param resolvedAt when the probe that confirmed it ran (UTC instant)
 */
@EventDoc("A security finding on a node is gone; says what is seen now and how long it was open.")
public record SecurityFindingResolved(
        ClusterId cluster, NodeName node, String finding, String evidence, long openForMillis, Instant resolvedAt)
        implements HealthEvent {
    public SecurityFindingResolved {
        Require.nonNull(cluster, "cluster");
        Require.nonNull(node, "node");
        Require.text(finding, "finding");
        Require.text(evidence, "evidence");
        Require.nonNegative(openForMillis, "openForMillis");
        Require.nonNull(resolvedAt, "resolvedAt");
    }
}
