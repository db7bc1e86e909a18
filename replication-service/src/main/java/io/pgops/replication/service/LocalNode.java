package io.pgops.replication.service;

import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Term;
import io.pgops.events.model.Timeline;
import io.pgops.kit.inventory.Inventory;
import io.pgops.kit.inventory.Passwords;
import io.pgops.kit.inventory.PgTlsOptions;
import io.pgops.replication.config.AgentConfig;
import io.pgops.replication.domain.AgentReport;
import io.pgops.replication.domain.NodeStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's view of its own node, over a small kept pool (HAProxy asks every 500 ms; a new
 * connection per look would cost the node more than the look). The upstream primary's position,
 * needed only to bound replica lag, is read from the sender named in pg_stat_wal_receiver.
 */
@ApplicationScoped
public class LocalNode {
    static final String STATUS_SQL = "SELECT pg_is_in_recovery() AS standby,"
            + " current_setting('default_transaction_read_only') = 'on' AS read_only,"
            + " current_setting('server_version_num')::int AS version,"
            + " (SELECT timeline_id FROM pg_control_checkpoint()) AS timeline,"
            + " CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_current_wal_lsn()::text END AS current_lsn,"
            + " pg_last_wal_replay_lsn()::text AS replay_lsn,"
            + " (SELECT status FROM pg_stat_wal_receiver) AS receiver_status,"
            + " (SELECT sender_host FROM pg_stat_wal_receiver) AS sender_host,"
            + " (SELECT sender_port FROM pg_stat_wal_receiver) AS sender_port";

    static final String REPORT_SQL = "SELECT pg_is_in_recovery() AS standby,"
            + " current_setting('default_transaction_read_only') = 'on' AS read_only,"
            + " CASE WHEN pg_is_in_recovery() THEN greatest((SELECT received_tli FROM pg_stat_wal_receiver),"
            + " (SELECT timeline_id FROM pg_control_checkpoint()),"
            + " (SELECT max(('x' || substr(name, 1, 8))::bit(32)::int) FROM pg_ls_waldir()"
            + " WHERE name ~ '^[0-9A-F]{8}[.]history$'))"
            + " ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int END AS timeline,"
            + " CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_current_wal_lsn()::text END AS current_lsn,"
            + " pg_last_wal_receive_lsn()::text AS receive_lsn,"
            + " (SELECT timeline_id FROM pg_control_checkpoint()) AS checkpoint_timeline,"
            + " pg_last_wal_replay_lsn()::text AS replay_lsn,"
            + " (SELECT status FROM pg_stat_wal_receiver) AS receiver_status,"
            + " current_setting('primary_conninfo') AS conninfo,"
            + " current_setting('synchronous_standby_names') AS sync_names,"
            + " (SELECT coalesce(json_agg(json_build_object('name', application_name, 'state', state,"
            + " 'sync', sync_state, 'flush', flush_lsn::text, 'replay', replay_lsn::text)), '[]')"
            + " FROM pg_stat_replication)::text AS replicas,"
            + " (SELECT coalesce(json_agg(slot_name), '[]') FROM pg_replication_slots"
            + " WHERE slot_type = 'physical')::text AS slots";
    private static final java.util.regex.Pattern CONNINFO_PORT =
            java.util.regex.Pattern.compile("(?:^|\\s)port\\s*=\\s*'?(\\d+)");

    private final Vertx vertx;
    private final AgentConfig config;
    private final Optional<Inventory.Cluster> cluster;
    private final Optional<Inventory.Node> node;
    private final Map<String, Pool> pools = new ConcurrentHashMap<>();

    public LocalNode(Vertx vertx, AgentConfig config, Inventory inventory) {
        this.vertx = vertx;
        this.config = config;
        this.cluster = config.cluster().map(id -> {
            Inventory.Cluster c = inventory.clusters().get(id);
            if (c == null) {
                throw new IllegalStateException("pgops.agent.cluster=" + id + " is not in the inventory");
            }
            return c;
        });
        this.node = config.node().map(n -> {
            Inventory.Node found = cluster.map(c -> c.nodes().get(n)).orElse(null);
            if (found == null) {
                throw new IllegalStateException("pgops.agent.node=" + n + " is not a node of pgops.agent.cluster");
            }
            return found;
        });
    }

    /** True when this instance runs as an agent (pgops.agent.cluster and .node set). */
    public boolean isAgent() {
        return node.isPresent();
    }

    public String name() {
        return config.cluster().orElse("?") + "/" + config.node().orElse("?");
    }

    /** One look at the node; with {@code withPrimaryLsn} also the upstream primary's position. */
    public Uni<NodeStatus> status(boolean withPrimaryLsn) {
        Instant at = Instant.now();
        Inventory.Node n = node.orElseThrow(() -> new IllegalStateException("not an agent"));
        return query(pool(n.host(), n.port()), STATUS_SQL)
                .ifNoItem()
                .after(config.statusTimeout())
                .failWith(() -> new IllegalStateException("no answer within " + config.statusTimeout()))
                .onItem()
                .transformToUni(rows -> {
                    Row r = rows.iterator().next();
                    NodeStatus s = read(r, at);
                    String sender = r.getString("sender_host");
                    Integer senderPort = r.getInteger("sender_port");
                    if (!withPrimaryLsn || sender == null || senderPort == null) {
                        return Uni.createFrom().item(s);
                    }
                    return upstreamLsn(sender, senderPort)
                            .map(s::withPrimaryLsn)
                            .onFailure()
                            .recoverWithItem(s);
                })
                .onFailure()
                .recoverWithItem(e -> NodeStatus.down(e.getClass().getSimpleName() + ": " + e.getMessage(), at));
    }

    /** The agent's report for the coordinator: role, positions, upstream, standbys, slots. */
    public Uni<AgentReport> report(Term term) {
        Inventory.Node n = node.orElseThrow(() -> new IllegalStateException("not an agent"));
        NodeName me = NodeName.of(config.node().orElseThrow());
        return query(pool(n.host(), n.port()), REPORT_SQL)
                .ifNoItem()
                .after(config.statusTimeout())
                .failWith(() -> new IllegalStateException("no answer within " + config.statusTimeout()))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    java.util.List<AgentReport.Replica> replicas = new java.util.ArrayList<>();
                    for (Object o : new io.vertx.core.json.JsonArray(r.getString("replicas"))) {
                        io.vertx.core.json.JsonObject j = (io.vertx.core.json.JsonObject) o;
                        replicas.add(new AgentReport.Replica(
                                j.getString("name"),
                                j.getString("state"),
                                j.getString("sync"),
                                lsn(j.getString("flush")),
                                lsn(j.getString("replay"))));
                    }
                    java.util.List<String> slots = new java.util.ArrayList<>();
                    new io.vertx.core.json.JsonArray(r.getString("slots")).forEach(x -> slots.add((String) x));
                    Long tli = r.getLong("timeline");
                    boolean standby = r.getBoolean("standby");
                    return new AgentReport(
                            me,
                            true,
                            standby,
                            r.getBoolean("read_only"),
                            tli == null ? null : new Timeline(tli),
                            lsn(r.getString("current_lsn")),
                            standby ? lsn(r.getString("receive_lsn")) : null,
                            standby ? lsn(r.getString("replay_lsn")) : null,
                            r.getString("receiver_status"),
                            upstreamPort(r.getString("conninfo")),
                            r.getString("sync_names"),
                            replicas,
                            slots,
                            term,
                            null,
                            true,
                            r.getLong("checkpoint_timeline") == null
                                    ? null
                                    : new Timeline(r.getLong("checkpoint_timeline")));
                })
                .onFailure()
                .recoverWithItem(e ->
                        AgentReport.notAnswering(me, term, e.getClass().getSimpleName() + ": " + e.getMessage(), null));
    }

    /** Only the port of primary_conninfo: the rest holds a password and never leaves this method. */
    static Integer upstreamPort(String conninfo) {
        if (conninfo == null || conninfo.isBlank()) {
            return null;
        }
        java.util.regex.Matcher m = CONNINFO_PORT.matcher(conninfo);
        return m.find() ? Integer.valueOf(m.group(1)) : 5432;
    }

    private static NodeStatus read(Row r, Instant at) {
        Long tli = r.getLong("timeline");
        return new NodeStatus(
                true,
                r.getBoolean("standby"),
                r.getBoolean("read_only"),
                r.getString("receiver_status"),
                lsn(r.getString("current_lsn")),
                lsn(r.getString("replay_lsn")),
                null,
                tli == null ? null : new Timeline(tli),
                r.getInteger("version"),
                null,
                at);
    }

    private Uni<Lsn> upstreamLsn(String host, int port) {
        // a Unix-socket sender (starts with '/') cannot be reached over TCP by the agent
        if (host.startsWith("/")) {
            return Uni.createFrom().failure(new IllegalStateException("sender is a Unix socket"));
        }
        return query(pool(host, port), "SELECT pg_current_wal_lsn()::text AS lsn")
                .ifNoItem()
                .after(config.statusTimeout())
                .fail()
                .map(rows -> lsn(rows.iterator().next().getString("lsn")));
    }

    /**
     * One query on a connection taken from the pool and given back when the query ends. Not
     * {@code pool.query(sql).execute()}: in vertx-sql-client 4.5 that path (SqlConnectionPool.execute)
     * arms a timer for the pool's connection timeout and cancels it only once a connection is obtained.
     * When obtaining one fails (the node refuses connections: its PostgreSQL is down), the query fails
     * at once, the timer stays armed, and when it fires it fails the same promise again: Vert.x then
     * receives {@code IllegalStateException: Result is already complete}, once per failed look (likewise
     * when the timer fires first and obtaining the connection then fails).
     * {@code getConnection}, under {@code withConnection}, waits for a connection with a timer of its own
     * that is cancelled whatever the outcome.
     */
    private static Uni<RowSet<Row>> query(Pool pool, String sql) {
        return pool.withConnection(c -> c.query(sql).execute());
    }

    private Pool pool(String host, int port) {
        return pools.computeIfAbsent(host + ":" + port, k -> {
            Inventory.Cluster c = cluster.orElseThrow();
            PgConnectOptions options = new PgConnectOptions()
                    .setHost(host)
                    .setPort(port)
                    .setDatabase(c.database())
                    .setUser(c.credentials().username())
                    .setPassword(Passwords.read(c.credentials()))
                    .setConnectTimeout((int) config.statusTimeout().toMillis())
                    .addProperty("application_name", "pgops-agent");
            PgTlsOptions.apply(options, c);
            return PgBuilder.pool()
                    .with(new PoolOptions().setMaxSize(2))
                    .connectingTo(options)
                    .using(vertx)
                    .build();
        });
    }

    private static Lsn lsn(String text) {
        return text == null ? null : Lsn.parse(text);
    }

    @PreDestroy
    void close() {
        pools.values().forEach(Pool::closeAndForget);
    }
}
