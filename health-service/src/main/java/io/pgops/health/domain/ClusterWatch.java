package io.pgops.health.domain;

import io.pgops.events.backup.BackupCompleted;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Role;
import io.pgops.events.replication.TopologyChanged;
import io.pgops.health.domain.sample.NodeSample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Every watch of one cluster: reachability per node and one {@link Watch} per node × check. Each
 * probe cycle it takes all nodes' samples together (a standby's lag needs the primary's sample of
 * the same cycle), decides who is primary, judges every check and returns what to publish.
 *
 * <p>Role changes are not incidents of their own: when a node changes role, its open replication
 * breaches close (their recovery says why), and replication checks of the whole cluster hold still
 * for {@code topology-settle} after the primary changed, by the probes or by a {@code TopologyChanged}
 * record, and while a change is in progress (target and current primary differ). Without that a
 * failover would raise lag, missing-standby and slot breaches on every node at once.
 */
public final class ClusterWatch {
    /** An endpoint of the inventory. */
    public record Endpoint(String host, int port) {}

    private static final class CheckState {
        final Watch watch;
        CheckResult last;
        Instant lastAt;

        CheckState(Debounce d) {
            watch = new Watch(d);
        }
    }

    private final ClusterId cluster;
    private final Map<NodeName, Endpoint> endpoints;
    private final Debounce debounce;
    private final Map<NodeName, NodeWatch> reach = new LinkedHashMap<>();
    private final Map<NodeName, Map<String, CheckState>> checks = new LinkedHashMap<>();
    private final Map<NodeName, ActivityWindow> windows = new LinkedHashMap<>();
    private final Map<NodeName, NodeSample> latest = new LinkedHashMap<>();
    private ClusterView.TopologyView topology;
    private NodeName primary;
    private Instant settleUntil = Instant.EPOCH;
    private BackupCompleted lastBackup;
    private Instant watchingSince;

    public ClusterWatch(ClusterId cluster, Map<NodeName, Endpoint> endpoints, Debounce debounce) {
        this.cluster = cluster;
        this.endpoints = Map.copyOf(endpoints);
        this.debounce = debounce;
        // nodes in name order, so every listing is stable
        Map<NodeName, Endpoint> byName = new TreeMap<>(Comparator.comparing(NodeName::value));
        byName.putAll(endpoints);
        byName.forEach((n, e) -> {
            reach.put(n, new NodeWatch(cluster, n, e.host(), e.port(), debounce));
            checks.put(n, new LinkedHashMap<>());
            windows.put(n, new ActivityWindow());
        });
    }

    /** Judges one probe cycle; returns the events to publish, usually none. */
    public synchronized List<Publication> observe(List<NodeSample> samples, Thresholds t) {
        List<Publication> out = new ArrayList<>();
        Instant at =
                samples.stream().map(NodeSample::at).max(Instant::compareTo).orElse(Instant.now());
        watchingSince = watchingSince == null ? at : watchingSince;
        NodeName topologyPrimary = topology == null ? null : topology.currentPrimary();
        for (NodeSample s : samples) {
            NodeWatch w = reach.get(s.node());
            if (w == null) {
                continue;
            }
            if (s.reachable() && w.lastRole() != null && w.lastRole() != s.role()) {
                out.addAll(closeReplicationChecks(s.node(), w.lastRole(), s.role(), at));
                settleUntil = later(settleUntil, at.plus(t.topologySettle()));
            }
            NodeWatch.Decision d = w.observe(s.outcome(), s.node().equals(topologyPrimary));
            d.events().forEach(e -> out.add(new Publication(e, d.correlationId(), d.reason())));
            latest.put(s.node(), s);
        }
        NodeName elected = electPrimary(samples, topologyPrimary);
        if (elected != null && primary != null && !elected.equals(primary)) {
            settleUntil = later(settleUntil, at.plus(t.topologySettle()));
        }
        primary = elected != null ? elected : primary;
        NodeSample primarySample = samples.stream()
                .filter(s -> s.node().equals(elected))
                .findFirst()
                .orElse(null);
        boolean settling = settling(at);
        for (NodeSample s : samples) {
            if (!s.reachable() || !checks.containsKey(s.node())) {
                continue; // a node that does not answer keeps its checks as they were
            }
            List<CheckResult> results = new ArrayList<>();
            if (!settling) {
                results.addAll(ReplicationChecks.evaluate(s, primarySample, t));
                if (s == primarySample) {
                    results.add(BackupChecks.freshness(cluster, lastBackup, watchingSince, s.at(), t));
                }
            }
            results.addAll(SessionChecks.evaluate(s, t));
            results.addAll(CapacityChecks.evaluate(s, t));
            results.addAll(ActivityChecks.evaluate(s, t, windows.get(s.node())));
            results.addAll(SecurityChecks.evaluate(s, t));
            for (CheckResult r : results) {
                out.addAll(judge(s.node(), r, s.at()));
            }
        }
        return out;
    }

    private List<Publication> judge(NodeName node, CheckResult r, Instant at) {
        CheckState st = checks.get(node).computeIfAbsent(r.check(), k -> new CheckState(debounce));
        st.last = r;
        st.lastAt = at;
        Watch.Outcome o = st.watch.observe(r.failing(), at);
        return switch (o.change()) {
            case BREACHED -> CheckEvents.breached(cluster, node, r, at, o.correlationId());
            case RECOVERED -> CheckEvents.recovered(cluster, node, r, r.evidence(), at, o);
            case NONE -> List.of();
        };
    }

    private List<Publication> closeReplicationChecks(NodeName node, Role from, Role to, Instant at) {
        List<Publication> out = new ArrayList<>();
        for (Map.Entry<String, CheckState> e : checks.get(node).entrySet()) {
            if (!CheckNames.TOPOLOGY_DEPENDENT.contains(e.getKey())) {
                continue;
            }
            CheckState st = e.getValue();
            Watch.Outcome o = st.watch.close();
            if (o.change() == Watch.Change.RECOVERED && st.last != null) {
                String why = "no longer applies: " + node + " changed role from " + from + " to " + to;
                out.addAll(CheckEvents.recovered(cluster, node, st.last, why, at, o));
            }
        }
        return out;
    }

    /** The topology's current primary when the probes agree, else the only node that says it is primary. */
    private static NodeName electPrimary(List<NodeSample> samples, NodeName topologyPrimary) {
        List<NodeName> claim = samples.stream()
                .filter(NodeSample::isPrimary)
                .map(NodeSample::node)
                .toList();
        if (topologyPrimary != null && claim.contains(topologyPrimary)) {
            return topologyPrimary;
        }
        return claim.size() == 1 ? claim.getFirst() : null;
    }

    /**
     * Takes a topology record into account: a newer term or another primary starts the settle period
     * from the record's time; an older term is ignored (a compacted topic may replay it).
     */
    public synchronized void topology(TopologyChanged tc, Thresholds t) {
        if (!tc.cluster().equals(cluster) || (topology != null && tc.term().value() < topology.term())) {
            return;
        }
        ClusterView.TopologyView next = new ClusterView.TopologyView(
                tc.term().value(), tc.targetPrimary(), tc.currentPrimary(), tc.changedAt());
        boolean changed = topology == null
                || !Objects.equals(topology.currentPrimary(), next.currentPrimary())
                || !Objects.equals(topology.targetPrimary(), next.targetPrimary());
        if (changed) {
            settleUntil = later(settleUntil, tc.changedAt().plus(t.topologySettle()));
        }
        topology = next;
    }

    /** The newest completed backup of this cluster (an older one, replayed, is ignored). */
    public synchronized void backupCompleted(BackupCompleted b) {
        // only a physical backup restores the cluster (and is the base of point-in-time recovery): a logical dump,
        // such as the schema-only one before a migration, must not make a missing base backup look fresh
        if (b.cluster().equals(cluster)
                && io.pgops.events.backup.BackupKind.PHYSICAL.equals(b.kind())
                && (lastBackup == null || b.completedAt().isAfter(lastBackup.completedAt()))) {
            lastBackup = b;
        }
    }

    private boolean settling(Instant at) {
        boolean inProgress = topology != null && !Objects.equals(topology.targetPrimary(), topology.currentPrimary());
        return inProgress || at.isBefore(settleUntil);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    public ClusterId cluster() {
        return cluster;
    }

    /** The latest results, for the REST surface and the metrics. */
    public synchronized ClusterView view(Instant now) {
        List<ClusterView.NodeView> nodes = new ArrayList<>();
        reach.forEach((n, w) -> {
            NodeSample s = latest.get(n);
            List<ClusterView.CheckView> cv = new ArrayList<>();
            checks.get(n)
                    .forEach((name, st) -> cv.add(new ClusterView.CheckView(
                            name,
                            st.last.severity(),
                            st.watch.state(),
                            st.last.failing(),
                            st.last.measured(),
                            st.last.threshold(),
                            st.last.unit(),
                            st.last.evidence(),
                            st.lastAt,
                            st.watch.breachedAt(),
                            st.watch.correlationId())));
            Endpoint e = endpoints.get(n);
            nodes.add(new ClusterView.NodeView(
                    n,
                    e.host(),
                    e.port(),
                    s != null && s.reachable(),
                    w.down(),
                    w.lastRole(),
                    s == null ? null : s.error(),
                    s == null ? null : s.at(),
                    List.copyOf(cv)));
        });
        return new ClusterView(cluster, primary, topology, settling(now), List.copyOf(nodes));
    }
}
