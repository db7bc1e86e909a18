package io.pgops.health.service;

import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Role;
import io.pgops.events.model.Timeline;
import io.pgops.health.domain.Thresholds;
import io.pgops.health.domain.sample.NodeSample;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One node's kept connection and its probe. The connection is opened once and kept, and every
 * statement is prepared once on it (named statements cached by the client): planning
 * pg_stat_activity and pg_stat_replication on every probe would cost the node more than the checks
 * themselves. Reachability is "the kept connection answers the base statement"; a broken connection
 * is replaced within the same probe, so only a node that refuses a new one counts as failed. Because
 * a kept connection would hide a node that refuses new clients, a fresh connection is also tried
 * every {@code fresh-connect-interval} (check {@code accepts-connections}).
 */
final class NodeSession {
    private static final Logger LOG = Logger.getLogger(NodeSession.class);

    private final NodeName node;
    private final Vertx vertx;
    private final Supplier<PgConnectOptions> options;
    private final Duration probeTimeout;
    private final Duration freshEvery;
    private final Clock clock;
    private PgConnection conn;
    private Instant lastFresh = Instant.EPOCH;

    NodeSession(
            NodeName node,
            Vertx vertx,
            Supplier<PgConnectOptions> options,
            Duration probeTimeout,
            Duration freshEvery,
            Clock clock) {
        this.node = node;
        this.vertx = vertx;
        this.options = options;
        this.probeTimeout = probeTimeout;
        this.freshEvery = freshEvery;
        this.clock = clock;
    }

    Uni<NodeSample> probe(Thresholds t, int textLength) {
        Instant at = clock.instant();
        return connection()
                .onItem()
                .transformToUni(c -> sample(c, at, t, textLength))
                .ifNoItem()
                .after(probeTimeout)
                .failWith(() -> new IllegalStateException("no answer within " + probeTimeout.toMillis() + " ms"))
                .onFailure()
                .recoverWithItem(e -> {
                    drop();
                    return NodeSample.down(node, describe(e), at);
                })
                .onItem()
                .transformToUni(
                        s -> s.reachable() ? fresh(s, at) : Uni.createFrom().item(s));
    }

    private synchronized Uni<PgConnection> connection() {
        if (conn != null) {
            return Uni.createFrom().item(conn);
        }
        return PgConnection.connect(vertx, options.get()).invoke(c -> {
            synchronized (this) {
                conn = c;
                lastFresh = clock.instant(); // a new connection just succeeded
            }
            c.closeHandler(this::forget);
        });
    }

    private synchronized void forget() {
        conn = null;
    }

    private synchronized void drop() {
        if (conn != null) {
            conn.closeAndForget();
            conn = null;
        }
    }

    synchronized void close() {
        drop();
    }

    private Uni<NodeSample> sample(PgConnection c, Instant at, Thresholds t, int len) {
        return c.preparedQuery(ProbeQueries.BASE).execute().onItem().transformToUni(rows -> {
            Row r = rows.iterator().next();
            Role role = r.getBoolean(0) ? Role.STANDBY : Role.PRIMARY;
            Long tli = r.getLong(1);
            String lsn = r.getString(2);
            int version = r.getInteger(3);
            boolean syncConfigured = r.getBoolean(4);
            NodeSample base = NodeSample.up(
                    node,
                    at,
                    role,
                    tli == null ? null : new Timeline(tli),
                    lsn == null ? null : Lsn.parse(lsn),
                    version);
            return SampleReader.readAll(c, base, syncConfigured, t, len);
        });
    }

    /** Every fresh-connect-interval, proves that the node still accepts a brand-new connection. */
    private Uni<NodeSample> fresh(NodeSample s, Instant at) {
        synchronized (this) {
            if (freshEvery.isZero() || Duration.between(lastFresh, at).compareTo(freshEvery) < 0) {
                return Uni.createFrom().item(s);
            }
            lastFresh = at;
        }
        return PgConnection.connect(vertx, options.get())
                .onItem()
                .transformToUni(c -> c.query("SELECT 1").execute().eventually(c::close))
                .map(rows -> s.withFreshConnect(true, null))
                .ifNoItem()
                .after(probeTimeout)
                .recoverWithItem(() -> s.withFreshConnect(false, "no new connection within " + probeTimeout))
                .onFailure()
                .recoverWithItem(e -> s.withFreshConnect(false, describe(e)));
    }

    static String describe(Throwable e) {
        String msg = e.getMessage();
        return e.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }

    static Tuple params(Object... values) {
        return Tuple.from(values);
    }
}
