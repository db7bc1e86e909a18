package io.pgops.audit.service;

import io.pgops.audit.config.AuditConfig;
import io.pgops.audit.domain.AuditEntry;
import io.pgops.audit.domain.ChainLink;
import io.pgops.audit.domain.ChainVerifier;
import io.pgops.audit.domain.HashChain;
import io.pgops.audit.domain.StoredRow;
import io.pgops.audit.domain.Verification;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;

/**
 * Walks the stored chain page by page and checks every row ({@link ChainVerifier}). Blocking: call
 * it from a worker thread; re-hashing and re-reading every event is CPU work the event loop must not
 * carry.
 *
 * <p>Every query runs on a connection taken with {@code pool.withConnection}, never {@code
 * pool.query(..).execute()}: see {@link AuditQueries}.
 */
@ApplicationScoped
public class ChainAudit {
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(60);

    private final Pool pool;
    private final AuditConfig config;

    public ChainAudit(Pool pool, AuditConfig config) {
        this.pool = pool;
        this.config = config;
    }

    /** The last row of the chain; empty while the trail is empty. */
    public Uni<Optional<ChainLink>> head() {
        return pool.withConnection(conn -> conn.query("SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1")
                        .execute())
                .map(rows -> rows.size() == 0
                        ? Optional.empty()
                        : Optional.of(link(rows.iterator().next())));
    }

    /** The stored link at a position; empty when no row has it. */
    public Uni<Optional<ChainLink>> linkAt(long seq) {
        return pool.withConnection(conn -> conn.preparedQuery("SELECT seq, hash FROM audit_event WHERE seq = $1")
                        .execute(Tuple.of(seq)))
                .map(rows -> rows.size() == 0
                        ? Optional.empty()
                        : Optional.of(link(rows.iterator().next())));
    }

    /**
     * Verifies rows {@code from..to} (inclusive; {@code to} null = to the end). For a range not
     * starting at 1, the stored hash of row {@code from - 1} is the trusted starting point.
     */
    public Verification verify(long from, Long to) {
        long first = Math.max(1, from);
        ChainLink start = HashChain.GENESIS;
        if (first > 1) {
            RowSet<Row> before = pool.withConnection(
                            conn -> conn.preparedQuery("SELECT seq, hash FROM audit_event WHERE seq = $1")
                                    .execute(Tuple.of(first - 1)))
                    .await()
                    .atMost(QUERY_TIMEOUT);
            if (before.size() == 0) {
                return new Verification(
                        first,
                        0,
                        null,
                        new Verification.BrokenLink(
                                first - 1, null, "row " + (first - 1) + " is missing: the range has no starting hash"));
            }
            start = link(before.iterator().next());
        }
        ChainVerifier verifier = new ChainVerifier(start);
        long last = to == null ? Long.MAX_VALUE : to;
        long next = first;
        int page = config.verify().pageSize();
        while (next <= last) {
            Tuple range = Tuple.of(next, last, page);
            RowSet<Row> rows = pool.withConnection(conn -> conn.preparedQuery("SELECT " + AuditQueries.COLUMNS
                                    + " FROM audit_event WHERE seq >= $1 AND seq <= $2 ORDER BY seq LIMIT $3")
                            .execute(range))
                    .await()
                    .atMost(QUERY_TIMEOUT);
            for (Row r : rows) {
                if (!verifier.accept(stored(r))) {
                    return verifier.result();
                }
            }
            if (rows.size() < page) {
                break;
            }
            next = verifier.result().last().seq() + 1;
        }
        return verifier.result();
    }

    private static StoredRow stored(Row r) {
        AuditEntry columns = new AuditEntry(
                r.getUUID("event_id").toString(),
                r.getString("type"),
                r.getString("cluster_id"),
                r.getString("node"),
                r.getString("source"),
                r.getOffsetDateTime("event_time").toInstant(),
                r.getString("correlation_id"),
                r.getString("principal"),
                r.getBuffer("event").getBytes());
        return new StoredRow(r.getLong("seq"), columns, r.getBuffer("hash").getBytes());
    }

    private static ChainLink link(Row r) {
        return new ChainLink(r.getLong("seq"), r.getBuffer("hash").getBytes());
    }
}
