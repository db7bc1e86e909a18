package io.pgops.maintenance.service;

import io.pgops.events.Requester;
import io.pgops.events.maintenance.ConfigDriftDetected;
import io.pgops.events.maintenance.MaintenanceCompleted;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.events.replication.HostFactsReported;
import io.pgops.maintenance.config.MaintenanceConfig;
import io.pgops.maintenance.domain.ConfigAdvisor;
import io.pgops.maintenance.domain.ConfigAdvisor.Recommendation;
import io.pgops.maintenance.domain.ConfigComparison;
import io.pgops.maintenance.domain.ConfigComparison.Drift;
import io.pgops.maintenance.domain.ConfigComparison.Setting;
import io.pgops.maintenance.domain.HostFacts;
import io.pgops.maintenance.domain.HostSettingsAdvice;
import io.pgops.maintenance.domain.ObjectName;
import io.pgops.maintenance.domain.ReportedFacts;
import io.pgops.maintenance.messaging.MaintenanceEventPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The configuration advisor on real nodes: recommendations for the declared, given or reported host facts
 * ({@link ConfigAdvisor})
 * against each node's {@code pg_settings}; differences published as {@code ConfigDriftDetected}; applied on an
 * administrator's command with {@code ALTER SYSTEM} + {@code pg_reload_conf()} on every node, reporting honestly
 * what still waits for a restart.
 */
@ApplicationScoped
public class ConfigReview {
    private static final Pattern SAFE_VALUE = Pattern.compile("^[0-9]+(\\.[0-9]+)?(kB)?$");
    private static final String SETTINGS =
            "SELECT name, setting, unit, context, source, pending_restart" + " FROM pg_settings WHERE name = ANY($1)";

    private final ClusterNodes nodes;
    private final MaintenanceConfig config;
    private final MaintenanceEventPublisher publisher;
    private final ReportedHosts reported;

    public ConfigReview(
            ClusterNodes nodes, MaintenanceConfig config, MaintenanceEventPublisher publisher, ReportedHosts reported) {
        this.nodes = nodes;
        this.config = config;
        this.publisher = publisher;
        this.reported = reported;
    }

    /** No host facts were declared or given (409). */
    public static final class NoFacts extends RuntimeException {
        NoFacts(ClusterId id) {
            super("no agent of the cluster has reported its host's RAM and CPUs yet (HostFactsReported); declare the"
                    + " host's facts for the advisor: pgops.maintenance.clusters." + id.value()
                    + ".host.{ram,cpus,storage,connections,workload}, or give them with the request");
        }
    }

    /** A node's differences, or why it could not be read. */
    public record NodeDrift(String node, List<Drift> drifts, List<Drift> host, String unreachable) {}

    /** The advice for a cluster: the facts it rests on and each node's differences. */
    public record Advice(String cluster, HostFacts facts, List<Recommendation> recommended, List<NodeDrift> nodes) {}

    /**
     * The facts for {@code id}: {@code given} when not null, else the declared ones, else those the agents reported
     * ({@link ReportedFacts}: the smallest host; the primary's {@code max_connections}, else 100, and a mixed
     * workload).
     */
    public HostFacts facts(ClusterId id, HostFacts given) {
        if (given != null) {
            return given;
        }
        MaintenanceConfig.ClusterOverrides c = config.clusters().get(id.value());
        if (c == null || c.host().isEmpty()) {
            List<HostFactsReported> reports = reportsOf(id);
            int connections = 100;
            String from = "PostgreSQL's default: the primary's max_connections could not be read";
            if (!reports.isEmpty()) {
                try (NodeSql sql = nodes.primary(id, config.reportTimeout())) {
                    connections = Integer.parseInt(
                            sql.query("SHOW max_connections").iterator().next().getString(0));
                    from = "max_connections of " + sql.node().value();
                } catch (RuntimeException e) {
                    // the answer says so in its source
                }
            }
            return ReportedFacts.of(reports, connections, from, HostFacts.Workload.MIXED)
                    .orElseThrow(() -> new NoFacts(id));
        }
        MaintenanceConfig.Host h = c.host().get();
        return new HostFacts(
                parseSize(h.ram()),
                h.cpus(),
                HostFacts.Storage.parse(h.storage()),
                h.connections(),
                HostFacts.Workload.parse(h.workload()));
    }

    /** Every node's differences from the recommendations ({@code node}: only that one). */
    public Advice advise(ClusterId id, HostFacts facts, String node) {
        nodes.cluster(id);
        List<Recommendation> recommended = ConfigAdvisor.recommend(facts);
        List<NodeDrift> out = new ArrayList<>();
        for (NodeName n : names(id, node)) {
            try (NodeSql sql = nodes.connect(id, n, config.reportTimeout())) {
                out.add(new NodeDrift(
                        n.value(),
                        ConfigComparison.compare(recommended, settings(sql, recommended)),
                        hostDrifts(id, n),
                        null));
            } catch (NodeSql.SqlFailure e) {
                out.add(new NodeDrift(n.value(), List.of(), hostDrifts(id, n), e.getMessage()));
            }
        }
        return new Advice(id.value(), facts, recommended, out);
    }

    /** Publishes one {@code ConfigDriftDetected} per node and difference; the advice it published from. */
    public Advice check(ClusterId id, HostFacts facts, Requester who) {
        Advice a = advise(id, facts, null);
        String correlation = UUID.randomUUID().toString();
        for (NodeDrift n : a.nodes()) {
            publish(id, facts, n.node(), n.drifts(), correlation, who);
            publishHost(id, n.node(), n.host(), correlation, who);
        }
        return a;
    }

    /**
     * The host settings of {@code node} to change, from its agent's latest {@code HostFactsReported} (none without
     * one).
     */
    List<Drift> hostDrifts(ClusterId id, NodeName node) {
        return reportsOf(id).stream()
                .filter(r -> r.node().equals(node))
                .findFirst()
                .map(HostSettingsAdvice::drifts)
                .orElse(List.of());
    }

    /** One {@code ConfigDriftDetected} per host setting of {@code node} to change (source {@code host}). */
    void publishHost(ClusterId id, String node, List<Drift> drifts, String correlation, Requester who) {
        emit(
                id,
                node,
                drifts,
                d -> false,
                d -> "a setting of " + node + "'s host, as its agent reported it: " + d.reason()
                        + "; change it on the host (PostgreSQL needs no restart for it)",
                correlation,
                who);
    }

    /** One {@code ConfigDriftDetected} per difference of {@code node} (who: null for the scheduler). */
    void publish(ClusterId id, HostFacts facts, String node, List<Drift> drifts, String correlation, Requester who) {
        emit(
                id,
                node,
                drifts,
                Drift::pendingRestart,
                d -> "recommended for " + describe(facts) + ": " + d.reason()
                        + (d.restartNeeded() ? "; applying it needs a restart" : ""),
                correlation,
                who);
    }

    private void emit(
            ClusterId id,
            String node,
            List<Drift> drifts,
            java.util.function.Predicate<Drift> pendingRestart,
            java.util.function.Function<Drift, String> reason,
            String correlation,
            Requester who) {
        Instant now = Instant.now();
        for (Drift d : drifts) {
            publisher.publish(
                    new ConfigDriftDetected(
                            id,
                            NodeName.of(node),
                            d.name(),
                            d.recommended(),
                            d.actual(),
                            d.source(),
                            pendingRestart.test(d),
                            reason.apply(d),
                            now),
                    correlation,
                    who);
        }
    }

    /** What an apply did on one node: each parameter's outcome in words, and what waits for a restart. */
    public record Applied(String node, Map<String, String> parameters, List<String> pendingRestart, String failed) {}

    /**
     * Sets the recommended values of {@code names} (all differing ones when empty) with {@code ALTER SYSTEM} on every
     * node, reloads, and reads back what took effect and what waits for a restart.
     */
    public List<Applied> apply(ClusterId id, HostFacts facts, Set<String> names, String reason, Requester who) {
        List<Recommendation> recommended = ConfigAdvisor.recommend(facts);
        Map<String, Recommendation> byName = new LinkedHashMap<>();
        recommended.forEach(r -> byName.put(r.name(), r));
        for (String n : names) {
            if (!byName.containsKey(n)) {
                throw new IllegalArgumentException(
                        "'" + n + "' is not a parameter the advisor recommends; one of " + byName.keySet());
            }
        }
        List<Applied> out = new ArrayList<>();
        String correlation = UUID.randomUUID().toString();
        for (NodeName n : names(id, null)) {
            long t0 = System.nanoTime();
            try (NodeSql sql = nodes.connect(id, n, config.reportTimeout())) {
                List<Drift> drifts = ConfigComparison.compare(recommended, settings(sql, recommended));
                List<Recommendation> chosen = drifts.stream()
                        .filter(d -> d.actual() != null && (names.isEmpty() || names.contains(d.name())))
                        .map(d -> byName.get(d.name()))
                        .toList();
                Map<String, String> what = new LinkedHashMap<>();
                for (Recommendation r : chosen) {
                    String value = r.sqlValue();
                    if (!SAFE_VALUE.matcher(value).matches()) {
                        throw new IllegalStateException("refusing to write an unexpected value for " + r.name());
                    }
                    sql.execute("ALTER SYSTEM SET " + ObjectName.quote(r.name()) + " = '" + value + "'");
                }
                if (!chosen.isEmpty()) {
                    String loaded = confLoadTime(sql);
                    sql.query("SELECT pg_reload_conf()");
                    awaitReload(sql, loaded);
                }
                Map<String, Setting> after = settings(sql, chosen);
                List<String> pending = new ArrayList<>();
                for (Recommendation r : chosen) {
                    Setting s = after.get(r.name());
                    boolean waits = s != null && s.pendingRestart();
                    boolean took = ConfigComparison.compare(List.of(r), after).isEmpty();
                    if (waits) {
                        pending.add(r.name());
                    }
                    what.put(
                            r.name(),
                            r.display()
                                    + (took
                                            ? " (in effect)"
                                            : waits ? " (waits for a restart)" : " (written; not yet in effect)"));
                }
                out.add(new Applied(n.value(), what, pending, null));
                if (!chosen.isEmpty()) {
                    publisher.publish(
                            new MaintenanceCompleted(
                                    id,
                                    correlation,
                                    n,
                                    "alter-system",
                                    String.join(",", what.keySet()),
                                    0,
                                    null,
                                    null,
                                    null,
                                    null,
                                    (System.nanoTime() - t0) / 1_000_000,
                                    "ALTER SYSTEM for " + describe(facts) + ": " + what + "; " + reason,
                                    Instant.now()),
                            correlation,
                            who);
                }
            } catch (NodeSql.SqlFailure e) {
                out.add(new Applied(n.value(), Map.of(), List.of(), e.getMessage()));
            }
        }
        return out;
    }

    private List<HostFactsReported> reportsOf(ClusterId id) {
        try {
            return reported.of(id);
        } catch (ClusterNodes.UnknownCluster unknown) {
            return List.of(); // answered as before: no facts (409)
        }
    }

    private List<NodeName> names(ClusterId id, String node) {
        if (node != null) {
            if (!nodes.cluster(id).nodes().containsKey(node)) {
                throw new ClusterNodes.UnknownNode(id, node);
            }
            return List.of(NodeName.of(node));
        }
        return nodes.cluster(id).nodes().keySet().stream().map(NodeName::of).toList();
    }

    private static Map<String, Setting> settings(NodeSql sql, List<Recommendation> of) {
        Map<String, Setting> m = new LinkedHashMap<>();
        String[] names = of.stream().map(Recommendation::name).toArray(String[]::new);
        for (var r : sql.query(SETTINGS, (Object) names)) {
            m.put(
                    r.getString(0),
                    new Setting(
                            r.getString(0),
                            r.getString(1),
                            r.getString(2),
                            r.getString(3),
                            r.getString(4),
                            Boolean.TRUE.equals(r.getBoolean(5))));
        }
        return m;
    }

    static String describe(HostFacts f) {
        return ConfigAdvisor.size(f.ramBytes() / 1024 * 1024) + " RAM, " + f.cpus() + " CPUs, "
                + f.storage().name().toLowerCase() + ", " + f.connections() + " connections, "
                + f.workload().name().toLowerCase()
                + (f.source().startsWith("reported") ? " (as the agents reported the smallest host)" : "");
    }

    /** {@code 16GB}, {@code 512MB}, {@code 1024kB} or plain bytes. */
    public static long parseSize(String s) {
        var m = Pattern.compile("^\\s*([0-9]+)\\s*(kB|KB|MB|GB|TB)?\\s*$").matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("ram must be a size like 16GB or 512MB but was '" + s + "'");
        }
        long n = Long.parseLong(m.group(1));
        String u = m.group(2) == null ? "" : m.group(2).toUpperCase();
        return switch (u) {
            case "KB" -> n * 1024;
            case "MB" -> n * 1024 * 1024;
            case "GB" -> n * 1024 * 1024 * 1024;
            case "TB" -> n * 1024L * 1024 * 1024 * 1024;
            default -> n;
        };
    }

    private static String confLoadTime(NodeSql sql) {
        return sql.query("SELECT pg_conf_load_time()::text").iterator().next().getString(0);
    }

    /**
     * {@code pg_reload_conf()} only signals the postmaster, which then signals every backend: this session reads the
     * files again at a later command boundary. Reading {@code pg_settings} back before that would report a value as
     * not yet in effect (seen on a loaded machine), so ask until this session's {@code pg_conf_load_time()} moved,
     * at most {@link #RELOAD_WAIT}; after that the answer says what the session sees.
     */
    private static void awaitReload(NodeSql sql, String before) {
        long deadline = System.nanoTime() + RELOAD_WAIT.toNanos();
        while (before.equals(confLoadTime(sql)) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static final java.time.Duration RELOAD_WAIT = java.time.Duration.ofSeconds(5);
}
