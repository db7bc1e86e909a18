package io.pgops.audit.service;

import io.pgops.audit.domain.AppendPlan;
import io.pgops.audit.domain.AuditEntry;
import io.pgops.audit.domain.ChainLink;
import io.pgops.audit.domain.ChainedEntry;
import io.pgops.audit.domain.HashChain;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Appends batches to the hash-chained audit table, one transaction per batch: take the chain lock,
 * read the head, drop what is already recorded, compute the hashes here, insert every row with one
 * statement over arrays. Writers on several instances serialise on the lock, so the chain has no
 * forks and no gaps.
 */
@ApplicationScoped
public class AuditWriter {
    /** The chain lock: a transaction-scoped advisory lock, so no updatable "head" row is needed. */
    static final long CHAIN_LOCK = 0x7067_6f70_7361_7501L;

    private static final String LOCK = "SELECT pg_advisory_xact_lock(" + CHAIN_LOCK + ")";
    private static final String HEAD = "SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1";
    private static final String RECORDED = "SELECT event_id FROM audit_event WHERE event_id = ANY($1)";
    private static final String INSERT = "INSERT INTO audit_event (seq, event_id, type, cluster_id, node, source,"
            + " event_time, correlation_id, principal, topic, kafka_partition, kafka_offset, event, hash)"
            + " SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[],"
            + " $7::timestamptz[], $8::text[], $9::text[], $10::text[], $11::int[], $12::bigint[], $13::bytea[],"
            + " $14::bytea[])";

    private final Pool pool;

    public AuditWriter(Pool pool) {
        this.pool = pool;
    }

    /**
     * Appends the batch durably (committed when the Uni completes); already recorded ids are skipped.
     *
     * <p>Three round trips: {@code BEGIN}, the chain lock, the head and the batch's already recorded
     * ids are pipelined (each a statement of its own, in this order, so the head is read after the
     * lock is held: in READ COMMITTED a statement sees what committed before it started); then the
     * insert; then {@code COMMIT}, sent only once the insert succeeded.
     */
    public Uni<AppendResult> append(List<Received> batch) {
        UUID[] ids = new UUID[batch.size()];
        List<AuditEntry> entries = new ArrayList<>(batch.size());
        for (int i = 0; i < ids.length; i++) {
            AuditEntry e = batch.get(i).entry();
            ids[i] = UUID.fromString(e.eventId());
            entries.add(e);
        }
        return pool.withConnection(conn -> Uni.combine()
                .all()
                .unis(
                        conn.begin(),
                        conn.query(LOCK).execute(),
                        conn.query(HEAD).execute(),
                        conn.preparedQuery(RECORDED).execute(Tuple.tuple().addArrayOfUUID(ids)))
                .asTuple()
                .chain(started -> {
                    Transaction tx = started.getItem1();
                    AppendPlan plan = AppendPlan.of(link(started.getItem3()), entries, idsOf(started.getItem4()));
                    return insert(conn, plan, batch, ids)
                            .chain(tx::commit)
                            .replaceWith(new AppendResult(plan.rows().size(), plan.duplicates(), plan.head()));
                })
                .onFailure()
                .call(() -> rollback(conn)));
    }

    /** Ends a transaction a failure left open, so the connection goes back to the pool clean. */
    private static Uni<Void> rollback(SqlConnection conn) {
        Transaction tx = conn.transaction();
        return tx == null
                ? Uni.createFrom().voidItem()
                : tx.rollback().onFailure().recoverWithNull();
    }

    private static Uni<Void> insert(SqlConnection conn, AppendPlan plan, List<Received> batch, UUID[] ids) {
        int n = plan.rows().size();
        if (n == 0) {
            return Uni.createFrom().voidItem();
        }
        Map<String, Integer> byId = new HashMap<>(batch.size() * 2);
        for (int i = 0; i < batch.size(); i++) {
            byId.putIfAbsent(batch.get(i).entry().eventId(), i);
        }
        Long[] seq = new Long[n];
        UUID[] id = new UUID[n];
        String[] type = new String[n];
        String[] cluster = new String[n];
        String[] node = new String[n];
        String[] source = new String[n];
        OffsetDateTime[] time = new OffsetDateTime[n];
        String[] correlation = new String[n];
        String[] principal = new String[n];
        String[] topic = new String[n];
        Integer[] partition = new Integer[n];
        Long[] offset = new Long[n];
        Buffer[] event = new Buffer[n];
        Buffer[] hash = new Buffer[n];
        for (int i = 0; i < n; i++) {
            ChainedEntry row = plan.rows().get(i);
            AuditEntry e = row.entry();
            int at = byId.get(e.eventId());
            Received from = batch.get(at);
            seq[i] = row.seq();
            id[i] = ids[at];
            type[i] = e.type();
            cluster[i] = e.cluster();
            node[i] = e.node();
            source[i] = e.source();
            time[i] = OffsetDateTime.ofInstant(e.time(), ZoneOffset.UTC);
            correlation[i] = e.correlationId();
            principal[i] = e.principal();
            topic[i] = from.topic();
            partition[i] = from.partition();
            offset[i] = from.offset();
            event[i] = Buffer.buffer(e.bytes());
            hash[i] = Buffer.buffer(row.hash());
        }
        Tuple args = Tuple.tuple()
                .addArrayOfLong(seq)
                .addArrayOfUUID(id)
                .addArrayOfString(type)
                .addArrayOfString(cluster)
                .addArrayOfString(node)
                .addArrayOfString(source)
                .addArrayOfOffsetDateTime(time)
                .addArrayOfString(correlation)
                .addArrayOfString(principal)
                .addArrayOfString(topic)
                .addArrayOfInteger(partition)
                .addArrayOfLong(offset)
                .addValue(event)
                .addValue(hash);
        return conn.preparedQuery(INSERT).execute(args).replaceWithVoid();
    }

    private static ChainLink link(RowSet<Row> head) {
        if (head.size() == 0) {
            return HashChain.GENESIS;
        }
        Row r = head.iterator().next();
        return new ChainLink(r.getLong("seq"), r.getBuffer("hash").getBytes());
    }

    private static Set<String> idsOf(RowSet<Row> rows) {
        Set<String> ids = new HashSet<>();
        for (Row r : rows) {
            ids.add(r.getUUID(0).toString());
        }
        return ids;
    }
}
