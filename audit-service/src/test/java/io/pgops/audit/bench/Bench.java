package io.pgops.audit.bench;

import io.pgops.audit.Samples;
import io.pgops.audit.it.Kafka;
import io.pgops.events.EventEnvelope;
import io.pgops.stack.postgres.PgTopology;
import io.pgops.stack.testkit.TestStack;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;

/** What the bench needs around the service: a producer, a reader of the trail, a clock. */
final class Bench {
    static final Instant T0 = Instant.parse("2026-11-25T02:15:00Z");

    private Bench() {}

    /** A realistic event of ~600 bytes in its recorded form. */
    static EventEnvelope event(String cluster, int i) {
        return Samples.unreachable(cluster, "node" + (i % 3 + 1), T0.plusMillis(i));
    }

    static KafkaProducer<String, byte[]> producer(TestStack stack) {
        return Kafka.producer(stack.kafkaBootstrap());
    }

    /** A plain pool on pgops' own database, to watch rows become visible. */
    static Pool pool(Vertx vertx, TestStack stack) {
        PgConnectOptions options = new PgConnectOptions()
                .setHost("127.0.0.1")
                .setPort(stack.pgopsDb().port())
                .setDatabase("pgops")
                .setUser(PgTopology.PGOPS_USER)
                .setPassword(stack.secrets().password("pgops-db"));
        return PgBuilder.pool().connectingTo(options).using(vertx).build();
    }

    static long head(Pool pool) {
        RowSet<Row> rows = await(
                pool.query("SELECT coalesce(max(seq), 0) FROM audit_event").execute());
        return rows.iterator().next().getLong(0);
    }

    /**
     * What each backend that last ran or runs an append into the trail is doing: "running" (on CPU, no
     * wait event), "waiting for the service" (idle: its statement is done and the next has not come),
     * or PostgreSQL's wait event ("IO:WALSync", "Lock:advisory", ...).
     */
    static List<String> appendingBackends(Pool pool) {
        List<String> states = new ArrayList<>();
        for (Row r : await(pool.query("SELECT state, wait_event_type, wait_event FROM pg_stat_activity"
                        + " WHERE pid <> pg_backend_pid() AND query LIKE 'INSERT INTO audit_event%'")
                .execute())) {
            String state = r.getString(0);
            states.add(
                    !"active".equals(state)
                            ? "waiting for the service"
                            : r.getString(1) == null ? "running" : r.getString(1) + ":" + r.getString(2));
        }
        return states;
    }

    /**
     * How fast this host is, measured the way the issue states its scale: PostgreSQL alone, one client,
     * multi-row INSERTs of 100 rows of the trail's shape (uuid key, jsonb body of a real event, two hash
     * columns) per durable commit, for {@code duration}, into a scratch table dropped afterwards.
     * Returns rows per second.
     */
    static double postgresAloneRowsPerSecond(Pool pool, Duration duration) {
        int perCommit = 100;
        String insert = "INSERT INTO bench_host_speed VALUES "
                + IntStream.range(0, perCommit)
                        .mapToObj(i -> String.format(
                                "($%d, $%d::jsonb, $%d, $%d)", 4 * i + 1, 4 * i + 2, 4 * i + 3, 4 * i + 4))
                        .collect(Collectors.joining(","));
        String body = new String(Kafka.record(event("bench-host", 0)).value(), StandardCharsets.UTF_8);
        Random random = new Random(7);
        await(pool.query("DROP TABLE IF EXISTS bench_host_speed").execute());
        await(pool.query("CREATE TABLE bench_host_speed (event_id uuid PRIMARY KEY, body jsonb NOT NULL,"
                        + " prev_hash bytea NOT NULL, hash bytea NOT NULL)")
                .execute());
        try {
            long rows = 0;
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            while (System.nanoTime() < end) {
                Tuple values = Tuple.tuple();
                for (int i = 0; i < perCommit; i++) {
                    byte[] prev = new byte[32];
                    byte[] hash = new byte[32];
                    random.nextBytes(prev);
                    random.nextBytes(hash);
                    values.addUUID(UUID.randomUUID())
                            .addString(body)
                            .addValue(Buffer.buffer(prev))
                            .addValue(Buffer.buffer(hash));
                }
                await(pool.preparedQuery(insert).execute(values));
                rows += perCommit;
            }
            return rows / ((System.nanoTime() - start) / 1e9);
        } finally {
            await(pool.query("DROP TABLE bench_host_speed").execute());
        }
    }

    /** PostgreSQL's housekeeping of the trail: "autovacuums A, autoanalyzes B, vacuum running: yes|no". */
    static String housekeeping(Pool pool) {
        Row r = await(pool.query("SELECT coalesce(autovacuum_count, 0), coalesce(autoanalyze_count, 0),"
                                + " EXISTS (SELECT 1 FROM pg_stat_progress_vacuum p WHERE p.relid = s.relid)"
                                + " FROM pg_stat_user_tables s WHERE relname = 'audit_event'")
                        .execute())
                .iterator()
                .next();
        return String.format(
                "autovacuums %d, autoanalyzes %d, vacuum running: %s",
                r.getLong(0), r.getLong(1), r.getBoolean(2) ? "yes" : "no");
    }

    /**
     * Waits until autovacuum has vacuumed the trail at least once and is not vacuuming it now (polled
     * every second); false if that did not happen within {@code patience}.
     */
    static boolean awaitVacuumOfTheBurst(Pool pool, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            Row r = await(pool.query("SELECT coalesce(autovacuum_count, 0) > 0 AND NOT EXISTS"
                                    + " (SELECT 1 FROM pg_stat_progress_vacuum p WHERE p.relid = s.relid)"
                                    + " FROM pg_stat_user_tables s WHERE relname = 'audit_event'")
                            .execute())
                    .iterator()
                    .next();
            if (r.getBoolean(0)) {
                return true;
            }
            pause(Duration.ofSeconds(1));
        }
        return false;
    }

    static RowSet<Row> after(Pool pool, long seq) {
        // LIMIT: an index scan whatever the statistics say (before the table's first ANALYZE after a
        // burst, the planner would otherwise scan and sort the whole table for "seq > $1")
        return await(pool.preparedQuery("SELECT seq, event_id FROM audit_event WHERE seq > $1 ORDER BY seq LIMIT 10000")
                .execute(Tuple.of(seq)));
    }

    static <T> T await(io.vertx.core.Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * CPU time used so far by pgops' own PostgreSQL: the postmaster and its live children (the
     * service's and the bench's connections, the WAL writer, the checkpointer, ...).
     */
    static Duration postgresCpu(TestStack stack) {
        try {
            long pid =
                    Long.parseLong(Files.readAllLines(stack.pgopsDb().dataDir().resolve("postmaster.pid"))
                            .getFirst()
                            .strip());
            ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
            return Stream.concat(Stream.of(postmaster), postmaster.descendants())
                    .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                    .reduce(Duration.ZERO, Duration::plus);
        } catch (IOException | RuntimeException e) {
            return Duration.ZERO;
        }
    }

    /** The 1-minute load average of the machine (other builds share it). */
    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    /** Pacing, not waiting for a condition: the bench's own clock. */
    static void pause(Duration d) {
        LockSupport.parkNanos(d.toNanos());
    }
}
