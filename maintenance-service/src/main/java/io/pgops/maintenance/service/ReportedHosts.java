package io.pgops.maintenance.service;

import io.pgops.events.model.ClusterId;
import io.pgops.events.replication.HostFactsReported;
import io.pgops.maintenance.domain.HostSettingsAdvice;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest {@code HostFactsReported} per cluster and node, as the agents published them (kept in memory, read again
 * from the topic's beginning at every start), and the host-settings report made from them.
 */
@ApplicationScoped
public class ReportedHosts {
    private final Map<String, Map<String, HostFactsReported>> latest = new ConcurrentHashMap<>();
    private final ClusterNodes nodes;

    public ReportedHosts(ClusterNodes nodes) {
        this.nodes = nodes;
    }

    /** Keeps {@code r} unless a later report of its node is already kept (a replay changes nothing). */
    public void record(HostFactsReported r) {
        latest.computeIfAbsent(r.cluster().value(), c -> new ConcurrentHashMap<>())
                .merge(r.node().value(), r, (old, now) -> now.reportedAt().isBefore(old.reportedAt()) ? old : now);
    }

    /** The latest report of each node of the cluster's inventory that has one, by node name. */
    public List<HostFactsReported> of(ClusterId id) {
        Map<String, HostFactsReported> m = latest.getOrDefault(id.value(), Map.of());
        return nodes.cluster(id).nodes().keySet().stream()
                .sorted()
                .filter(m::containsKey)
                .map(m::get)
                .toList();
    }

    /** Clusters with at least one report. */
    public List<String> clusters() {
        return latest.keySet().stream().sorted().toList();
    }

    /**
     * One node's host: its settings judged, or why there are none.
     *
     * @param node the node
     * @param reportedAt when its agent read them; {@code null} without a report
     * @param dataDirectory the data directory the agent looked at
     * @param settings each setting with its value, the recommended value, the verdict and why
     * @param missing why there is nothing, or {@code null}
     */
    public record NodeHost(
            String node,
            Instant reportedAt,
            String dataDirectory,
            List<HostSettingsAdvice.Finding> settings,
            String missing) {}

    /** The host-settings report of a cluster: every node of the inventory, by name. */
    public record HostReport(String cluster, List<NodeHost> nodes) {}

    public HostReport report(ClusterId id) {
        Map<String, HostFactsReported> m = latest.getOrDefault(id.value(), Map.of());
        List<NodeHost> out = nodes.cluster(id).nodes().keySet().stream()
                .sorted()
                .map(n -> {
                    HostFactsReported r = m.get(n);
                    return r == null
                            ? new NodeHost(
                                    n,
                                    null,
                                    null,
                                    List.of(),
                                    "no HostFactsReported from this node's agent yet (it reports at its start and"
                                            + " every pgops.agent.host-facts-every)")
                            : new NodeHost(n, r.reportedAt(), r.dataDirectory(), HostSettingsAdvice.assess(r), null);
                })
                .toList();
        return new HostReport(id.value(), out);
    }
}
