package io.pgops.audit.service;

import io.pgops.audit.domain.HashChain;
import io.pgops.audit.domain.Incident;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the trail: filtered pages newest first, and the events of one flow.
 *
 * <p>Each query runs on a connection taken from the pool and given back when it ends ({@code
 * pool.withConnection}), not {@code pool.query(..)} / {@code pool.preparedQuery(..)}: in vertx-sql-client
 * 4.5 that path (SqlConnectionPool.execute) arms a timer for the pool's connection timeout and cancels it
 * only once a connection is obtained. When obtaining one fails (pgops' PostgreSQL is down) the query fails
 * at once, the timer stays armed, and when it fires it fails the same promise again: Vert.x then logs an
 * uncaught {@code IllegalStateException: Result is already complete}, once per query. {@code getConnection}
 * waits with a timer of its own that is cancelled whatever the outcome (as in replication-service's
 * LocalNode).
 */
@ApplicationScoped
public class AuditQueries {
    static final String COLUMNS = "seq, event_id, type, cluster_id, node, source, event_time, correlation_id,"
            + " principal, recorded_at, hash, event";
    /** The most steps an incident returns (a flow is a handful of events; this bounds a runaway one). */
    static final int MAX_STEPS = 1000;

    private final Pool pool;

    public AuditQueries(Pool pool) {
        this.pool = pool;
    }

    /**
     * A page of events, newest first.
     *
     * @param before only events recorded before this position (the cursor); null for the newest
     * @param limit at most this many
     */
    public Uni<List<AuditRecord>> find(EventFilter f, Long before, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_event WHERE true");
        Tuple args = Tuple.tuple();
        condition(sql, args, "cluster_id =", f.cluster());
        condition(sql, args, "type =", f.type());
        condition(sql, args, "node =", f.node());
        condition(sql, args, "correlation_id =", f.correlationId());
        condition(sql, args, "principal =", f.principal());
        condition(sql, args, "event_time >=", f.from() == null ? null : utc(f.from()));
        condition(sql, args, "event_time <", f.to() == null ? null : utc(f.to()));
        condition(sql, args, "seq <", before);
        args.addValue(limit);
        sql.append(" ORDER BY seq DESC LIMIT $").append(args.size());
        return pool.withConnection(conn -> conn.preparedQuery(sql.toString()).execute(args))
                .map(rows -> {
                    List<AuditRecord> out = new ArrayList<>();
                    rows.forEach(r -> out.add(record(r)));
                    return out;
                });
    }

    /** Clusters of the latest {@code window} events, most recently active first. */
    public Uni<List<ClusterActivity>> recentClusters(int window) {
        return pool.withConnection(conn -> conn.preparedQuery(
                                "SELECT cluster_id, count(*) AS events, max(event_time) AS last_at FROM"
                                        + " (SELECT cluster_id, event_time, seq FROM audit_event ORDER BY seq DESC LIMIT $1) recent"
                                        + " GROUP BY cluster_id ORDER BY max(seq) DESC")
                        .execute(Tuple.of(window)))
                .map(rows -> {
                    List<ClusterActivity> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new ClusterActivity(
                            r.getString("cluster_id"),
                            r.getLong("events"),
                            r.getOffsetDateTime("last_at").toInstant())));
                    return out;
                });
    }

    /** The latest {@code limit} flows of a cluster among its latest {@code window} events, newest first. */
    public Uni<List<Incident>> recentIncidents(String cluster, int limit, int window) {
        return pool.withConnection(
                        conn -> conn.preparedQuery("SELECT " + COLUMNS + " FROM audit_event WHERE correlation_id IN"
                                        + " (SELECT correlation_id FROM (SELECT correlation_id, seq FROM audit_event"
                                        + " WHERE cluster_id = $1 ORDER BY seq DESC LIMIT $3) recent"
                                        + " GROUP BY correlation_id ORDER BY max(seq) DESC LIMIT $2)"
                                        + " ORDER BY event_time, seq LIMIT " + MAX_STEPS)
                                .execute(Tuple.of(cluster, limit, window)))
                .map(rows -> {
                    java.util.Map<String, List<Incident.Fact>> flows = new java.util.LinkedHashMap<>();
                    rows.forEach(r -> flows.computeIfAbsent(r.getString("correlation_id"), k -> new ArrayList<>())
                            .add(fact(record(r))));
                    List<Incident> out = new ArrayList<>();
                    flows.forEach((id, facts) -> out.add(Incident.of(id, facts)));
                    out.sort(java.util.Comparator.comparing(Incident::endedAt).reversed());
                    return out;
                });
    }

    /** The story of one flow; empty when nothing carries this correlation id. */
    public Uni<Optional<Incident>> incident(String correlationId) {
        return pool.withConnection(
                        conn -> conn.preparedQuery("SELECT " + COLUMNS + " FROM audit_event WHERE correlation_id = $1"
                                        + " ORDER BY event_time, seq LIMIT " + MAX_STEPS)
                                .execute(Tuple.of(correlationId)))
                .map(rows -> {
                    List<Incident.Fact> facts = new ArrayList<>();
                    rows.forEach(r -> facts.add(fact(record(r))));
                    return facts.isEmpty() ? Optional.empty() : Optional.of(Incident.of(correlationId, facts));
                });
    }

    static Incident.Fact fact(AuditRecord r) {
        return new Incident.Fact(
                r.seq(), r.type(), r.cluster(), r.node(), r.source(), r.principal(), r.time(), r.data());
    }

    private static void condition(StringBuilder sql, Tuple args, String test, Object value) {
        if (value != null) {
            args.addValue(value);
            sql.append(" AND ").append(test).append(" $").append(args.size());
        }
    }

    private static OffsetDateTime utc(java.time.Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    static AuditRecord record(Row r) {
        JsonObject event = new JsonObject(r.getBuffer("event").getDelegate());
        Object data = event.getValue("data");
        return new AuditRecord(
                r.getLong("seq"),
                r.getUUID("event_id").toString(),
                r.getString("type"),
                r.getString("cluster_id"),
                r.getString("node"),
                r.getString("source"),
                r.getOffsetDateTime("event_time").toInstant(),
                r.getString("correlation_id"),
                r.getString("principal"),
                event.getString("pgopsroles"),
                r.getOffsetDateTime("recorded_at").toInstant(),
                HashChain.hex(r.getBuffer("hash").getBytes()),
                data instanceof JsonObject o ? o.getMap() : Map.of());
    }
}
