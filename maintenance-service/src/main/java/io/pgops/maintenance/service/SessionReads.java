package io.pgops.maintenance.service;

import io.pgops.maintenance.domain.BackendSession;
import io.pgops.maintenance.domain.Redaction;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads a node's backends from {@code pg_stat_activity} for the emergency actions; timestamps to the microsecond. */
final class SessionReads {
    private SessionReads() {}

    /** The backends and the node's clock when it read them. */
    record Read(Instant at, List<BackendSession> sessions) {}

    static Read read(NodeSql sql) {
        List<Instant> at = new ArrayList<>();
        List<BackendSession> sessions = sql.list(Queries.SESSIONS, r -> {
            at.add(instant(r, 12));
            return new BackendSession(
                    r.getInteger(0),
                    r.getString(1),
                    r.getString(2),
                    r.getString(3),
                    r.getString(4),
                    r.getString(5),
                    r.getString(6),
                    r.getBoolean(7),
                    r.getBoolean(8),
                    instant(r, 9),
                    instant(r, 10),
                    instant(r, 11),
                    Redaction.statement(r.getString(13)));
        });
        return new Read(at.isEmpty() ? Instant.now() : at.getFirst(), sessions);
    }

    private static Instant instant(Row r, int column) {
        Long micros = r.getLong(column);
        return micros == null ? null : Instant.EPOCH.plusNanos(micros * 1000);
    }

    static long micros(Instant i) {
        return i.getEpochSecond() * 1_000_000 + i.getNano() / 1000;
    }
}
