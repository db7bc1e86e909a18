package io.pgops.audit.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pgops.audit.it.Kafka;
import io.pgops.events.EventEnvelope;
import io.pgops.stack.testkit.TestStack;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

/**
 * The audit-service's benchmark (not part of the build: run it by name, see audit-service/bench/README.md).
 * Prints figures; asserts only that every event arrived.
 *
 * <ol>
 *   <li>Ingest: a backlog of {@code pgops.bench.backlog} events is published first, then the service
 *       starts and drains it into durable, hash-chained rows (offsets committed after the rows).
 *   <li>Latency: {@code pgops.bench.rate} events/s for {@code pgops.bench.seconds} s; a watcher reads
 *       new rows every 10 ms and times each event from its send to its row being visible.
 * </ol>
 */
class IngestBench {
    static final int BACKLOG = Integer.getInteger("pgops.bench.backlog", 1_200_000);
    static final int RATE = Integer.getInteger("pgops.bench.rate", 5_000);
    static final int SECONDS = Integer.getInteger("pgops.bench.seconds", 20);
    /** The scale for the host: PostgreSQL alone, 100 rows per commit, one client, ~35,000 rows/s. */
    static final int REFERENCE_ROWS_PER_SECOND = 35_000;
    /** The goal for the sustained rate, next to that reference: 25,000 events/s. */
    static final int GOAL_EVENTS_PER_SECOND = 25_000;

    static final Duration HOST_SPEED_TIME = Duration.ofSeconds(10);

    @Test
    void ingestRateAndPublicationToQueryableLatency() throws Exception {
        TestStack stack = TestStack.get();
        Vertx vertx = Vertx.vertx();
        Pool pool = Bench.pool(vertx, stack);
        try (KafkaProducer<String, byte[]> producer = Bench.producer(stack)) {
            long t = System.nanoTime();
            for (int i = 0; i < BACKLOG; i++) {
                producer.send(Kafka.record(Bench.event("bench-" + (i % 8), i)));
            }
            producer.flush();
            System.out.printf("backlog: %,d events published in %.1f s%n", BACKLOG, secs(System.nanoTime() - t));

            double sustained;
            try (BenchService audit = new BenchService(stack)) {
                Duration serviceCpu = audit.cpu();
                Duration postgresCpu = Bench.postgresCpu(stack);
                String loadBefore = Bench.load();
                sustained = ingest(pool);
                System.out.printf(
                        "ingest CPU: service %.1f us/event, PostgreSQL %.1f us/event; load average %s -> %s%n",
                        audit.cpu().minus(serviceCpu).toNanos() / 1e3 / BACKLOG,
                        Bench.postgresCpu(stack).minus(postgresCpu).toNanos() / 1e3 / BACKLOG,
                        loadBefore,
                        Bench.load());
                System.out.println("ingest batches: " + audit.batchFigures());
                latency(pool, producer, "right after the drain");
                // the first vacuum of a burst rewrites every page of it (hint bits, visibility map):
                // measure again once PostgreSQL is done with it, as the trail runs most of the time
                long waited = System.nanoTime();
                boolean settled = Bench.awaitVacuumOfTheBurst(pool, Duration.ofMinutes(3));
                System.out.printf(
                        "housekeeping: %s after %.0f s%n",
                        settled ? "PostgreSQL's vacuum of the burst finished" : "still not vacuumed",
                        secs(System.nanoTime() - waited));
                latency(pool, producer, "after the vacuum of the burst");
            }
            // the host's speed, once the service has stopped (run before the drain, it would leave WAL
            // segments for the drain to recycle): the same rates mean little across hosts
            double alone = Bench.postgresAloneRowsPerSecond(pool, HOST_SPEED_TIME);
            System.out.printf(
                    "host: PostgreSQL alone on pgops-db, one client, multi-row INSERTs of 100 rows of the trail's"
                            + " shape per durable commit: %,.0f rows/s (the issue's 2-core reference: ~%,d)%n",
                    alone, REFERENCE_ROWS_PER_SECOND);
            System.out.printf(
                    "ingest next to the host's speed: sustained %.2f x PostgreSQL alone (the goal on the reference"
                            + " host: %,d / %,d = %.2f x); on this host the goal's rate would be %,.0f events/s%n",
                    sustained / alone,
                    GOAL_EVENTS_PER_SECOND,
                    REFERENCE_ROWS_PER_SECOND,
                    (double) GOAL_EVENTS_PER_SECOND / REFERENCE_ROWS_PER_SECOND,
                    alone * GOAL_EVENTS_PER_SECOND / REFERENCE_ROWS_PER_SECOND);
        } finally {
            pool.close();
            vertx.close();
        }
    }

    /** Returns the sustained rate (events/s between 40 % and 90 % of the backlog). */
    private static double ingest(Pool pool) throws InterruptedException {
        List<long[]> samples = new ArrayList<>(); // {nanos, rows}
        long start = System.nanoTime();
        long rows = 0;
        AtomicBoolean drained = new AtomicBoolean();
        Map<String, Integer> appending = new java.util.TreeMap<>();
        Thread states = Thread.ofPlatform().start(() -> {
            while (!drained.get()) {
                Bench.appendingBackends(pool).forEach(state -> appending.merge(state, 1, Integer::sum));
                Bench.pause(Duration.ofMillis(20));
            }
        });
        while (rows < BACKLOG
                && System.nanoTime() - start < Duration.ofMinutes(10).toNanos()) {
            rows = Bench.head(pool);
            samples.add(new long[] {System.nanoTime(), rows});
            Bench.pause(Duration.ofMillis(100));
        }
        drained.set(true);
        states.join();
        int all = appending.values().stream().mapToInt(Integer::intValue).sum();
        StringBuilder what =
                new StringBuilder("ingest: the service's appending backends, sampled every 20 ms during the drain:");
        appending.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e -> what.append(String.format(" %s %.0f%%", e.getKey(), 100.0 * e.getValue() / all)));
        System.out.println(what);
        assertEquals(BACKLOG, rows, "every backlog event recorded");
        long[] first = samples.stream().filter(s -> s[1] > 0).findFirst().orElseThrow();
        long[] from =
                samples.stream().filter(s -> s[1] >= BACKLOG / 10).findFirst().orElseThrow();
        long[] to = samples.stream()
                .filter(s -> s[1] >= BACKLOG * 9 / 10)
                .findFirst()
                .orElseThrow();
        long[] warm = samples.stream()
                .filter(s -> s[1] >= BACKLOG * 4 / 10)
                .findFirst()
                .orElseThrow();
        long[] last = samples.getLast();
        System.out.printf(
                "ingest: %,d events drained in %.1f s from the first row: %,.0f events/s overall,"
                        + " %,.0f events/s between 10%% and 90%%, sustained %,.0f events/s between 40%% and 90%%%n",
                BACKLOG,
                secs(last[0] - first[0]),
                (last[1] - first[1]) / secs(last[0] - first[0]),
                rate(from, to),
                rate(warm, to));
        // the rate through each tenth of the backlog: a fresh JVM compiles its hot paths first
        StringBuilder tenths = new StringBuilder("ingest by tenth of the backlog (events/s):");
        long[] at = first;
        for (int k = 1; k <= 10; k++) {
            long goal = (long) BACKLOG * k / 10;
            long[] end = samples.stream().filter(s -> s[1] >= goal).findFirst().orElseThrow();
            tenths.append(String.format(" %,.0f", rate(at, end)));
            at = end;
        }
        System.out.println(tenths);
        return rate(warm, to);
    }

    private static double rate(long[] from, long[] to) {
        return (to[1] - from[1]) / secs(to[0] - from[0]);
    }

    private static void latency(Pool pool, KafkaProducer<String, byte[]> producer, String when) throws Exception {
        int total = RATE * SECONDS;
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        long[] latencies = new long[total];
        long[] worst = {0, 0}; // {latency, sent at}
        int[] seen = {0};
        String housekeepingBefore = Bench.housekeeping(pool);
        AtomicBoolean done = new AtomicBoolean();
        long base = Bench.head(pool);
        Thread watcher = Thread.ofPlatform().start(() -> {
            long last = base;
            while (!done.get() && seen[0] < total) {
                for (Row r : Bench.after(pool, last)) {
                    long now = System.nanoTime();
                    last = r.getLong(0);
                    Long sent = sentAt.get(r.getUUID(1).toString());
                    if (sent != null) {
                        latencies[seen[0]++] = now - sent;
                        if (now - sent > worst[0]) {
                            worst[0] = now - sent;
                            worst[1] = sent;
                        }
                    }
                }
                Bench.pause(Duration.ofMillis(10));
            }
        });
        long start = System.nanoTime();
        long tickNanos = Duration.ofMillis(10).toNanos();
        int perTick = RATE / 100;
        for (int i = 0; i < total; i++) {
            if (i % perTick == 0) { // pace: perTick events every 10 ms
                long due = start + (i / perTick) * tickNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Bench.pause(Duration.ofNanos(wait));
                }
            }
            EventEnvelope e = Bench.event("bench-lat", i);
            sentAt.put(e.id(), System.nanoTime());
            producer.send(Kafka.record(e));
        }
        producer.flush();
        watcher.join(Duration.ofSeconds(60).toMillis());
        done.set(true);
        long[] got = Arrays.copyOf(latencies, seen[0]);
        Arrays.sort(got);
        assertEquals(total, got.length, "every paced event became queryable");
        System.out.printf(
                "latency %s, at %,d events/s for %d s (%,d events), publication -> queryable: p50 %.0f ms,"
                        + " p99 %.0f ms, max %.0f ms%n",
                when,
                RATE,
                SECONDS,
                total,
                ms(got[got.length / 2]),
                ms(got[(int) (got.length * 0.99)]),
                ms(got[got.length - 1]));
        System.out.printf(
                "latency: the slowest event was sent %.1f s into the phase; PostgreSQL's housekeeping of the"
                        + " trail before the phase: %s; after it: %s%n",
                secs(worst[1] - start), housekeepingBefore, Bench.housekeeping(pool));
    }

    private static double secs(long nanos) {
        return nanos / 1e9;
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
