package io.pgops.health.service;

import io.pgops.events.backup.BackupCompleted;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.events.replication.TopologyChanged;
import io.pgops.health.config.HealthConfig;
import io.pgops.health.config.ThresholdsResolver;
import io.pgops.health.domain.ClusterWatch;
import io.pgops.health.domain.Thresholds;
import io.pgops.kit.inventory.Inventory;
import io.pgops.kit.inventory.Passwords;
import io.pgops.kit.inventory.PgTlsOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The clusters of the inventory as the service watches them: per cluster its resolved limits, its
 * {@link ClusterWatch} and one kept {@link NodeSession} per node.
 */
@ApplicationScoped
public class Clusters {
    /**
     * One watched cluster.
     *
     * @param busy whether a probe cycle of it is running
     * @param lastCycle when its last probe cycle finished (judged and published), null before the first
     */
    public record Watched(
            ClusterId id,
            Thresholds thresholds,
            ClusterWatch watch,
            Map<NodeName, NodeSession> sessions,
            AtomicBoolean busy,
            AtomicReference<Instant> lastCycle) {}

    private final Map<String, Watched> clusters = new LinkedHashMap<>();

    public Clusters(Inventory inventory, HealthConfig config, ThresholdsResolver resolver, Vertx vertx) {
        Duration probeTimeout =
                config.connectTimeout().plus(config.statementTimeout()).plusMillis(500);
        inventory.clusters().forEach((id, cluster) -> {
            Thresholds t = resolver.forCluster(id, cluster.credentials().username());
            Map<NodeName, ClusterWatch.Endpoint> endpoints = new LinkedHashMap<>();
            Map<NodeName, NodeSession> sessions = new LinkedHashMap<>();
            cluster.nodes().forEach((name, node) -> {
                NodeName n = NodeName.of(name);
                endpoints.put(n, new ClusterWatch.Endpoint(node.host(), node.port()));
                sessions.put(
                        n,
                        new NodeSession(
                                n,
                                vertx,
                                () -> options(cluster, node, config),
                                probeTimeout,
                                config.freshConnectInterval(),
                                Clock.systemUTC()));
            });
            ClusterId cid = ClusterId.of(id);
            clusters.put(
                    id,
                    new Watched(
                            cid,
                            t,
                            new ClusterWatch(cid, endpoints, t.debounce()),
                            sessions,
                            new AtomicBoolean(),
                            new AtomicReference<>()));
        });
    }

    /** Connection options read when connecting, so a rotated password file is picked up. */
    static PgConnectOptions options(Inventory.Cluster cluster, Inventory.Node node, HealthConfig config) {
        return PgTlsOptions.apply(plainOptions(node, cluster, config), cluster);
    }

    private static PgConnectOptions plainOptions(Inventory.Node node, Inventory.Cluster cluster, HealthConfig config) {
        return new PgConnectOptions()
                .setHost(node.host())
                .setPort(node.port())
                .setDatabase(cluster.database())
                .setUser(cluster.credentials().username())
                .setPassword(Passwords.read(cluster.credentials()))
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setReconnectAttempts(0)
                .setCachePreparedStatements(true)
                .addProperty(
                        "statement_timeout",
                        Long.toString(config.statementTimeout().toMillis()))
                .addProperty("application_name", "pgops-health");
    }

    public Collection<Watched> all() {
        return clusters.values();
    }

    public Optional<Watched> get(String id) {
        return Optional.ofNullable(clusters.get(id));
    }

    /** A topology record for a cluster of the inventory; others are ignored. */
    public boolean topology(TopologyChanged tc) {
        Watched w = clusters.get(tc.cluster().value());
        if (w == null) {
            return false;
        }
        w.watch().topology(tc, w.thresholds());
        return true;
    }

    /** A completed backup of a cluster of the inventory; others are ignored. */
    public boolean backupCompleted(BackupCompleted b) {
        Watched w = clusters.get(b.cluster().value());
        if (w == null) {
            return false;
        }
        w.watch().backupCompleted(b);
        return true;
    }

    @PreDestroy
    void close() {
        clusters.values().forEach(w -> w.sessions().values().forEach(NodeSession::close));
    }
}
