package io.pgops.health.domain;

import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Role;
import java.time.Instant;
import java.util.List;

/**
 * The latest picture of one cluster: who is primary, and per node its reachability and every
 * check's latest result. What the REST surface and the metrics show.
 *
 * @param cluster the cluster
 * @param primary the primary of the last cycle (the topology's when it agrees with the probes), or null
 * @param topology the last topology record consumed, or null
 * @param settling whether replication checks hold still because the primary just changed
 * @param nodes every node of the inventory
 */
public record ClusterView(
        ClusterId cluster, NodeName primary, TopologyView topology, boolean settling, List<NodeView> nodes) {

    /**
     * @param node the node
     * @param host probed host
     * @param port probed port
     * @param reachable whether the last probe got an answer
     * @param declaredUnreachable whether NodeUnreachable is open (debounced)
     * @param role role at the last answer, or null
     * @param error the last probe's error, or null
     * @param probedAt when the last probe ran, or null before the first
     * @param checks every check judged on the node so far
     */
    public record NodeView(
            NodeName node,
            String host,
            int port,
            boolean reachable,
            boolean declaredUnreachable,
            Role role,
            String error,
            Instant probedAt,
            List<CheckView> checks) {}

    /**
     * @param check the check's name
     * @param severity how bad a breach is
     * @param state {@code PASSING}, {@code FAILING} (breached) or {@code UNKNOWN} (not yet decided)
     * @param failingNow whether the latest result alone fails (a breach needs several in a row)
     * @param measured latest measured value, in unit
     * @param threshold the limit, in unit
     * @param unit the unit
     * @param evidence latest evidence in words
     * @param probedAt when the latest result was taken
     * @param breachedAt when the open breach was declared, or null
     * @param correlationId the open breach's incident id, or null
     */
    public record CheckView(
            String check,
            Severity severity,
            Watch.State state,
            boolean failingNow,
            double measured,
            double threshold,
            String unit,
            String evidence,
            Instant probedAt,
            Instant breachedAt,
            String correlationId) {}

    /**
     * What the last {@code TopologyChanged} said.
     *
     * @param term its term
     * @param targetPrimary who should be primary
     * @param currentPrimary who is, or null
     * @param changedAt when it was computed
     */
    public record TopologyView(long term, NodeName targetPrimary, NodeName currentPrimary, Instant changedAt) {}
}
