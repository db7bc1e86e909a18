package io.pgops.audit.service;

import io.pgops.events.EventEnvelope;
import io.pgops.events.OperatorCommand;
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
import java.util.UUID;

/**
 * The audit trail in pgops' own PostgreSQL: one row per event id, never updated. The hash chain,
 * the database-enforced append-only rule and the full query API come with the audit issue.
 */
@ApplicationScoped
public class AuditStore {
    static final String DDL = """
            CREATE TABLE IF NOT EXISTS audit_event (
              seq            bigserial PRIMARY KEY,
              event_id       uuid NOT NULL UNIQUE,
              type           text NOT NULL,
              cluster_id     text NOT NULL,
              source         text NOT NULL,
              event_time     timestamptz NOT NULL,
              correlation_id text,
              principal      text,
              topic          text,
              kafka_partition int,
              kafka_offset   bigint,
              data           jsonb NOT NULL,
              recorded_at    timestamptz NOT NULL DEFAULT now()
            )""";

    private final Pool pool;

    public AuditStore(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> createSchema() {
        return pool.query(DDL).execute().replaceWithVoid();
    }

    /** Stores the event once; true when it was new, false when its id was already recorded. */
    public Uni<Boolean> record(EventEnvelope e, String topic, Integer partition, Long offset, String dataJson) {
        String principal = e.data() instanceof OperatorCommand c ? c.principal() : null;
        return pool.preparedQuery("INSERT INTO audit_event (event_id, type, cluster_id, source, event_time,"
                        + " correlation_id, principal, topic, kafka_partition, kafka_offset, data)"
                        + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
                        + " ON CONFLICT (event_id) DO NOTHING")
                .execute(Tuple.from(List.of(
                        UUID.fromString(e.id()),
                        e.type(),
                        e.subject().value(),
                        e.source(),
                        OffsetDateTime.ofInstant(e.time(), ZoneOffset.UTC),
                        e.correlationId(),
                        principal == null ? "" : principal,
                        topic,
                        partition == null ? -1 : partition,
                        offset == null ? -1L : offset,
                        new JsonObject(dataJson))))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Recorded events, newest first, filtered by whatever is non-null. */
    public Uni<List<AuditRecord>> find(String cluster, String type, String correlationId, int limit) {
        return pool.preparedQuery("SELECT seq, event_id, type, cluster_id, source, event_time, correlation_id,"
                        + " NULLIF(principal, '') AS principal, data FROM audit_event"
                        + " WHERE ($1::text IS NULL OR cluster_id = $1) AND ($2::text IS NULL OR type = $2)"
                        + " AND ($3::text IS NULL OR correlation_id = $3) ORDER BY seq DESC LIMIT $4")
                .execute(Tuple.of(cluster, type, correlationId, limit))
                .map(rows -> {
                    List<AuditRecord> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new AuditRecord(
                                r.getLong("seq"),
                                r.getUUID("event_id").toString(),
                                r.getString("type"),
                                r.getString("cluster_id"),
                                r.getString("source"),
                                r.getOffsetDateTime("event_time").toInstant(),
                                r.getString("correlation_id"),
                                r.getString("principal"),
                                r.getJsonObject("data").getMap()));
                    }
                    return out;
                });
    }
}
