package io.pgops.maintenance.service;

import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.kit.inventory.Inventory;
import io.pgops.kit.inventory.Passwords;
import io.pgops.kit.inventory.PgTlsOptions;
import io.pgops.maintenance.config.MaintenanceConfig;
import io.vertx.mutiny.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The clusters of the inventory ({@code pgops.clusters.<id>.*}) and connections to their nodes. The primary is
 * the node that says it is not in recovery, asked in the inventory's order: maintenance writes, so it never
 * trusts a role hint.
 */
@ApplicationScoped
public class ClusterNodes {
    static final String APPLICATION_NAME = "pgops-maintenance";

    private final Inventory inventory;
    private final MaintenanceConfig config;
    private final Vertx vertx;

    public ClusterNodes(Inventory inventory, MaintenanceConfig config, Vertx vertx) {
        this.inventory = inventory;
        this.config = config;
        this.vertx = vertx;
    }

    /** The cluster is not in the inventory (404). */
    public static final class UnknownCluster extends RuntimeException {
        public UnknownCluster(ClusterId id) {
            super("cluster '" + id.value() + "' is not in the inventory");
        }
    }

    /** The node is not in the cluster's inventory (404). */
    public static final class UnknownNode extends RuntimeException {
        public UnknownNode(ClusterId id, String node) {
            super("cluster '" + id.value() + "' has no node '" + node + "' in the inventory");
        }
    }

    /** No node answers as primary (503). */
    public static final class NoPrimary extends RuntimeException {
        public NoPrimary(ClusterId id, List<String> tried) {
            super("no node of cluster '" + id.value() + "' answers as primary: " + tried);
        }
    }

    public Inventory.Cluster cluster(ClusterId id) {
        Inventory.Cluster c = inventory.clusters().get(id.value());
        if (c == null) {
            throw new UnknownCluster(id);
        }
        return c;
    }

    /** The inventory's cluster ids. */
    public java.util.Set<String> clusterIds() {
        return new java.util.TreeSet<>(inventory.clusters().keySet());
    }

    /** The database the service works in (the inventory's {@code database}). */
    public String database(ClusterId id) {
        return cluster(id).database();
    }

    /** A connection to {@code node}, its statements limited to {@code statementTimeout}. */
    public NodeSql connect(ClusterId id, NodeName node, Duration statementTimeout) {
        return connect(id, node, cluster(id).database(), statementTimeout);
    }

    /**
     * A connection to {@code database} on {@code node} (a name the caller found in {@code pg_database}; it is a
     * connection parameter, never spliced into text).
     */
    public NodeSql connect(ClusterId id, NodeName node, String database, Duration statementTimeout) {
        Inventory.Cluster c = cluster(id);
        Inventory.Node n = c.nodes().get(node.value());
        if (n == null) {
            throw new UnknownNode(id, node.value());
        }
        PgConnectOptions options = new PgConnectOptions()
                .setHost(n.host())
                .setPort(n.port())
                .setDatabase(database)
                .setUser(c.credentials().username())
                .setPassword(Passwords.read(c.credentials()))
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setReconnectAttempts(0)
                .addProperty("application_name", APPLICATION_NAME);
        PgTlsOptions.apply(options, c);
        return NodeSql.connect(vertx, node, options, config.connectTimeout(), statementTimeout);
    }

    /** A connection to the primary; the caller closes it. */
    public NodeSql primary(ClusterId id, Duration statementTimeout) {
        return primary(id, cluster(id).database(), statementTimeout);
    }

    /** A connection to {@code database} on the primary; the caller closes it. */
    public NodeSql primary(ClusterId id, String database, Duration statementTimeout) {
        List<String> tried = new ArrayList<>();
        for (Map.Entry<String, Inventory.Node> e : cluster(id).nodes().entrySet()) {
            NodeName name = NodeName.of(e.getKey());
            NodeSql sql;
            try {
                sql = connect(id, name, database, statementTimeout);
            } catch (NodeSql.SqlFailure f) {
                tried.add(name.value() + ": " + f.getMessage());
                continue;
            }
            boolean primary;
            try {
                primary = !sql.query("SELECT pg_is_in_recovery()")
                        .iterator()
                        .next()
                        .getBoolean(0);
            } catch (NodeSql.SqlFailure f) {
                sql.close();
                tried.add(name.value() + ": " + f.getMessage());
                continue;
            }
            if (primary) {
                return sql;
            }
            sql.close();
            tried.add(name.value() + ": standby");
        }
        throw new NoPrimary(id, tried);
    }

    /** A connection to {@code node} if named (checked against the inventory), else to the primary. */
    public NodeSql nodeOrPrimary(ClusterId id, String node, Duration statementTimeout) {
        if (node == null) {
            return primary(id, statementTimeout);
        }
        if (!cluster(id).nodes().containsKey(node)) {
            throw new UnknownNode(id, node);
        }
        return connect(id, NodeName.of(node), statementTimeout);
    }
}
