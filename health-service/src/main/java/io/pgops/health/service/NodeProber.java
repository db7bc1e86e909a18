package io.pgops.health.service;

import io.pgops.events.model.Lsn;
import io.pgops.events.model.Timeline;
import io.pgops.health.config.HealthConfig;
import io.pgops.health.domain.ProbeOutcome;
import io.pgops.kit.inventory.Inventory;
import io.pgops.kit.inventory.Passwords;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;

/**
 * Probes one node over a fresh connection (a pooled one could hide that new connections fail):
 * role, timeline and WAL position, with a connect timeout and a statement timeout.
 */
@ApplicationScoped
public class NodeProber {
    static final String PROBE_SQL = "SELECT pg_is_in_recovery() AS standby,"
            + " (SELECT timeline_id FROM pg_control_checkpoint()) AS timeline,"
            + " CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END::text AS lsn";

    private final Vertx vertx;
    private final HealthConfig config;
    private final Clock clock;

    public NodeProber(Vertx vertx, HealthConfig config) {
        this.vertx = vertx;
        this.config = config;
        this.clock = Clock.systemUTC();
    }

    public Uni<ProbeOutcome> probe(Inventory.Cluster cluster, Inventory.Node node) {
        Instant at = clock.instant();
        PgConnectOptions options = new PgConnectOptions()
                .setHost(node.host())
                .setPort(node.port())
                .setDatabase(cluster.database())
                .setUser(cluster.credentials().username())
                .setPassword(Passwords.read(cluster.credentials()))
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setReconnectAttempts(0)
                .addProperty(
                        "statement_timeout",
                        Long.toString(config.connectTimeout().toMillis()))
                .addProperty("application_name", "pgops-health");
        return PgConnection.connect(vertx, options)
                .onItem()
                .transformToUni(conn -> conn.query(PROBE_SQL)
                        .execute()
                        .map(rows -> outcome(rows.iterator().next(), at))
                        .eventually(conn::close))
                .ifNoItem()
                .after(config.connectTimeout().multipliedBy(2))
                .failWith(() -> new IllegalStateException(
                        "no answer within " + config.connectTimeout().multipliedBy(2)))
                .onFailure()
                .recoverWithItem(e -> ProbeOutcome.down(describe(e), at));
    }

    private static ProbeOutcome outcome(Row row, Instant at) {
        String role = row.getBoolean("standby") ? "standby" : "primary";
        Long tli = row.getLong("timeline");
        String lsn = row.getString("lsn");
        return ProbeOutcome.up(role, tli == null ? null : new Timeline(tli), lsn == null ? null : Lsn.parse(lsn), at);
    }

    private static String describe(Throwable e) {
        String msg = e.getMessage();
        return e.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }
}
