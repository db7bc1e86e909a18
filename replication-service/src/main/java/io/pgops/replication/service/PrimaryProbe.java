package io.pgops.replication.service;

import io.pgops.events.model.ClusterId;
import io.pgops.kit.inventory.Inventory;
import io.pgops.kit.inventory.Passwords;
import io.pgops.kit.inventory.PgTlsOptions;
import io.pgops.replication.config.CoordinatorConfig;
import io.pgops.replication.domain.NodeSpec;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The coordinator's own look at a primary's PostgreSQL, past its agent: one {@code SELECT 1} on a fresh
 * or pooled connection within {@code probe-timeout}. An agent that died beside a healthy PostgreSQL is
 * no reason to fail over; this probe tells the two apart.
 */
@ApplicationScoped
public class PrimaryProbe {
    private final Vertx vertx;
    private final Inventory inventory;
    private final CoordinatorConfig config;
    private final Map<String, Pool> pools = new ConcurrentHashMap<>();

    public PrimaryProbe(Vertx vertx, Inventory inventory, CoordinatorConfig config) {
        this.vertx = vertx;
        this.inventory = inventory;
        this.config = config;
    }

    /** Null when PostgreSQL answered; else why not, in words (no secret in it). Blocking. */
    public String failure(ClusterId cluster, NodeSpec node) {
        try {
            pool(cluster, node)
                    .withConnection(c -> c.query("SELECT 1").execute())
                    .await()
                    .atMost(config.probeTimeout());
            return null;
        } catch (RuntimeException e) {
            String m = e.getMessage();
            return e.getClass().getSimpleName()
                    + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
        }
    }

    private Pool pool(ClusterId cluster, NodeSpec node) {
        return pools.computeIfAbsent(cluster.value() + "/" + node.name().value(), k -> {
            Inventory.Cluster c = inventory.clusters().get(cluster.value());
            PgConnectOptions options = new PgConnectOptions()
                    .setHost(node.host())
                    .setPort(node.port())
                    .setDatabase(c.database())
                    .setUser(c.credentials().username())
                    .setPassword(Passwords.read(c.credentials()))
                    .setConnectTimeout((int) config.probeTimeout().toMillis())
                    .addProperty("application_name", "pgops-coordinator-probe");
            PgTlsOptions.apply(options, c);
            return PgBuilder.pool()
                    .with(new PoolOptions()
                            .setMaxSize(1)
                            .setConnectionTimeout((int) config.probeTimeout().toMillis())
                            .setConnectionTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS))
                    .connectingTo(options)
                    .using(vertx)
                    .build();
        });
    }

    @PreDestroy
    void close() {
        pools.values().forEach(Pool::closeAndForget);
    }
}
