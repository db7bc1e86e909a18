package io.pgops.health.rest;

import io.pgops.events.model.ClusterId;
import io.pgops.health.domain.ClusterView;
import io.pgops.health.domain.Severity;
import io.pgops.health.domain.Watch;
import java.util.ArrayList;
import java.util.List;

/**
 * The one-shot verdict on a cluster.
 *
 * @param cluster the cluster
 * @param healthy true when every node was probed and answers, and no breach of at least failOn is open
 * @param failOn the least severity that makes the cluster unhealthy: {@code critical} or {@code warning}
 * @param problems what is wrong, one line each: {@code "node3 unreachable: Connection refused"},
 *     {@code "node1 connections-critical (critical): 45 of 47 usable connections in use"}
 */
public record Report(ClusterId cluster, boolean healthy, String failOn, List<String> problems) {
    static Report of(ClusterView v, String failOn) {
        Severity least = Severity.valueOf(failOn.toUpperCase());
        List<String> problems = new ArrayList<>();
        for (ClusterView.NodeView n : v.nodes()) {
            if (n.probedAt() == null) {
                problems.add(n.node() + " not probed yet");
            } else if (!n.reachable() || n.declaredUnreachable()) {
                problems.add(n.node() + " unreachable: " + (n.error() == null ? "not recovered yet" : n.error()));
            }
            for (ClusterView.CheckView c : n.checks()) {
                if (c.state() == Watch.State.FAILING && c.severity().compareTo(least) >= 0) {
                    problems.add(n.node() + " " + c.check() + " ("
                            + c.severity().name().toLowerCase() + "): " + c.evidence());
                }
            }
        }
        return new Report(v.cluster(), problems.isEmpty(), failOn, List.copyOf(problems));
    }
}
