package io.pgops.health.rest;

import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.health.domain.ClusterView;
import java.util.List;

/**
 * One line of {@code GET /clusters}.
 *
 * @param cluster the cluster id
 * @param primary the primary of the last probe cycle, or null
 * @param nodes the inventory's nodes
 * @param reachable the nodes that answered their last probe
 * @param healthy whether the report (fail-on critical) would say healthy
 */
public record ClusterSummary(
        ClusterId cluster, NodeName primary, List<NodeName> nodes, List<NodeName> reachable, boolean healthy) {
    static ClusterSummary of(ClusterView v) {
        return new ClusterSummary(
                v.cluster(),
                v.primary(),
                v.nodes().stream().map(ClusterView.NodeView::node).toList(),
                v.nodes().stream()
                        .filter(ClusterView.NodeView::reachable)
                        .map(ClusterView.NodeView::node)
                        .toList(),
                Report.of(v, "critical").healthy());
    }
}
