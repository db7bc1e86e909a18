package io.pgops.audit.service;

import io.pgops.audit.domain.AppendPlan;
import io.pgops.audit.domain.AuditEntry;
import io.pgops.audit.domain.ChainLink;
import io.pgops.audit.domain.ChainedEntry;
import io.pgops.audit.domain.HashChain;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.impl.VertxInternal;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Appends batches to the hash-chained audit table. The hashes are computed here from the chain head;
 * the database keeps the chain whole whoever writes: {@code seq} is the primary key (two rows cannot
 * take one position: no fork), and the usual append inserts only if the row it links to is there
 * with the hash it links to (no gap).
 *
 * <ul>
 *   <li><b>Usual append, one round trip:</b> from the head this writer last committed, one
 *       statement (its own transaction) inserts the batch if the chain still ends there.
 *   <li><b>Locked append, three round trips</b> (the first append, and whenever the usual one did not
 *       go through: another writer moved the head, or an id is already recorded): a transaction takes
 *       the chain lock, reads the head and the batch's already recorded ids, and inserts the rest.
 *       Writers on several instances serialise on the lock here; a usual append that races one of them
 *       adds nothing or meets the primary key, and is redone this way.
 * </ul>
 *
 * <p>Appends are queued and sent from one context of the writer's own: a usual append is planned on
 * the head the previous one will leave and sent on the writer's connection before that one commits
 * (PostgreSQL then starts it as soon as the previous commits); an append planned on one that added
 * nothing adds nothing either, and both are redone the locked way. A locked append starts only once
 * the usual appends in flight have ended, and nothing is sent beside it.
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
    /** The insert, if the row the batch links to ($15, with hash $16) is in the chain (else no row). */
    private static final String INSERT_AFTER =
            INSERT + " WHERE EXISTS (SELECT 1 FROM audit_event WHERE seq = $15 AND hash = $16)";

    private final Pool pool;
    private final Vertx vertx;

    /**
     * The sender's context: appends are queued, planned and sent there, one task at a time, in the
     * order they were asked for. Its own event loop, so decoding consumed batches does not delay them.
     */
    private volatile Context sender;

    // state below is read and written on the sender's context only

    /** Appends asked for and not yet planned, in order. */
    private final ArrayDeque<Request> queue = new ArrayDeque<>();

    /**
     * The chain's end once every append sent so far is in: advanced when a usual append is planned
     * (the next is planned on top of it before it commits), set by a locked append, cleared when a
     * usual append did not go through; null when not known.
     */
    private ChainLink knownHead;

    /** The connection usual appends are sent on, in the order they are planned; null until open. */
    private volatile SqlConnection connection;

    private boolean opening;
    /** Usual appends sent and not ended. */
    private int usualInFlight;
    /** A locked append is running: nothing else is sent until it ends. */
    private boolean lockedRunning;

    private final AtomicLong usual = new AtomicLong();
    private final AtomicLong lockedAppends = new AtomicLong();

    /** One append asked for; {@code locked} once its usual append did not go through. */
    private record Request(
            List<Received> batch,
            List<AuditEntry> entries,
            UUID[] ids,
            boolean locked,
            UniEmitter<? super AppendResult> done) {
        Request lockedNow() {
            return new Request(batch, entries, ids, true, done);
        }
    }

    public AuditWriter(Pool pool, Vertx vertx) {
        this.pool = pool;
        this.vertx = vertx;
    }

    /**
     * Appends the batch durably (committed when the Uni completes); already recorded ids are skipped.
     * Appends are sent in the order they are subscribed to.
     */
    public Uni<AppendResult> append(List<Received> batch) {
        UUID[] ids = new UUID[batch.size()];
        List<AuditEntry> entries = new ArrayList<>(batch.size());
        for (int i = 0; i < ids.length; i++) {
            AuditEntry e = batch.get(i).entry();
            ids[i] = UUID.fromString(e.eventId());
            entries.add(e);
        }
        return Uni.createFrom().emitter(em -> {
            Request r = new Request(batch, entries, ids, false, em);
            sender().runOnContext(v -> {
                queue.add(r);
                pump();
            });
        });
    }

    private Context sender() {
        Context c = sender;
        if (c == null) {
            synchronized (this) {
                if (sender == null) {
                    // a context on the next event loop, not the caller's (the consumer's)
                    sender = ((VertxInternal) vertx).createEventLoopContext();
                }
                c = sender;
            }
        }
        return c;
    }

    /**
     * Sends what the queue allows (on the sender's context): usual appends one after the other without
     * waiting for the previous to commit; a locked append only once the usual ones in flight have
     * ended, and nothing beside it. A usual append does not take the chain lock: one running beside a
     * locked append of this writer could take the positions the locked one planned from the head.
     */
    private void pump() {
        if (connection == null && !opening) {
            open();
        }
        while (!queue.isEmpty() && !lockedRunning) {
            Request r = queue.peek();
            if (r.locked() || knownHead == null || knownHead.seq() == 0 || connection == null) {
                if (usualInFlight > 0) {
                    return; // resumed when they end
                }
                queue.poll();
                lockedRunning = true;
                locked(r.batch(), r.entries(), r.ids())
                        .subscribe()
                        .with(
                                result -> sender.runOnContext(v -> {
                                    lockedRunning = false;
                                    lockedAppends.incrementAndGet();
                                    knownHead = result.head();
                                    r.done().complete(result);
                                    pump();
                                }),
                                failure -> sender.runOnContext(v -> {
                                    lockedRunning = false;
                                    r.done().fail(failure);
                                    pump();
                                }));
                return;
            }
            queue.poll();
            sendUsual(r);
        }
    }

    /** Plans the append on the known head and sends it as one statement (on the sender's context). */
    private void sendUsual(Request r) {
        ChainLink head = knownHead;
        AppendPlan plan = AppendPlan.of(head, r.entries(), Set.of());
        knownHead = plan.head();
        usualInFlight++;
        Tuple args = rows(plan, r.batch(), r.ids()).addLong(head.seq()).addValue(Buffer.buffer(head.hash()));
        connection
                .preparedQuery(INSERT_AFTER)
                .execute(args)
                .subscribe()
                .with(
                        rows -> sender.runOnContext(v -> usualEnded(r, plan, rows.rowCount(), null)),
                        failure -> sender.runOnContext(v -> usualEnded(r, plan, 0, failure)));
    }

    private void usualEnded(Request r, AppendPlan plan, int inserted, Throwable failure) {
        usualInFlight--;
        if (failure == null && inserted == plan.rows().size()) {
            usual.incrementAndGet();
            r.done().complete(new AppendResult(plan.rows().size(), plan.duplicates(), plan.head()));
        } else {
            // nothing was inserted: the chain moved (another writer, or an append this one was planned
            // on did not go through), an id is already recorded, or the connection failed
            knownHead = null;
            if (failure != null && !isDuplicateKey(failure)) {
                r.done().fail(failure); // retried by the caller
            } else {
                queue.addFirst(r.lockedNow());
            }
        }
        pump();
    }

    /** Opens the appender's connection in the background (usual appends wait for the locked way). */
    private void open() {
        opening = true;
        pool.getConnection()
                .subscribe()
                .with(
                        c -> sender.runOnContext(v -> {
                            opening = false;
                            connection = c;
                            c.closeHandler(() -> sender.runOnContext(w -> {
                                if (connection == c) {
                                    connection = null;
                                }
                            }));
                            pump();
                        }),
                        failure -> sender.runOnContext(v -> opening = false));
    }

    /** Whether usual appends can be sent (the appender's connection is open). */
    boolean appenderOpen() {
        return connection != null;
    }

    /** Appends that went the usual way, and the locked way (also {@code pgops_audit_appends_total}). */
    public long[] appendsByWay() {
        return new long[] {usual.get(), lockedAppends.get()};
    }

    /**
     * The locked append: {@code BEGIN}, the chain lock, the head and the batch's already recorded ids
     * are pipelined (each a statement of its own, in this order, so the head is read after the lock is
     * held: in READ COMMITTED a statement sees what committed before it started); then the insert;
     * then {@code COMMIT}, sent only once the insert succeeded.
     */
    private Uni<AppendResult> locked(List<Received> batch, List<AuditEntry> entries, UUID[] ids) {
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
                    Uni<Void> insert = plan.rows().isEmpty()
                            ? Uni.createFrom().voidItem()
                            : conn.preparedQuery(INSERT)
                                    .execute(rows(plan, batch, ids))
                                    .replaceWithVoid();
                    return insert.chain(tx::commit)
                            .replaceWith(new AppendResult(plan.rows().size(), plan.duplicates(), plan.head()));
                })
                .onFailure()
                .call(() -> rollback(conn)));
    }

    /** Makes this writer take {@code head} as the chain's end (tests: a stale or wrong head). */
    void assumeHead(ChainLink head) {
        sender().runOnContext(v -> knownHead = head);
    }

    /** A unique violation: an event id already recorded, or a position another writer took. */
    private static boolean isDuplicateKey(Throwable t) {
        return t instanceof PgException pg && "23505".equals(pg.getSqlState());
    }

    /** Ends a transaction a failure left open, so the connection goes back to the pool clean. */
    private static Uni<Void> rollback(SqlConnection conn) {
        Transaction tx = conn.transaction();
        return tx == null
                ? Uni.createFrom().voidItem()
                : tx.rollback().onFailure().recoverWithNull();
    }

    /** The insert's parameters: the plan's rows as arrays, $1 to $14. */
    private static Tuple rows(AppendPlan plan, List<Received> batch, UUID[] ids) {
        int n = plan.rows().size();
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
        return args;
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
