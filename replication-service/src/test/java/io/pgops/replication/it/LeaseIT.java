package io.pgops.replication.it;

import static io.pgops.replication.it.ReplicationHarness.scaled;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.EventEnvelope;
import io.pgops.events.Topics;
import io.pgops.events.replication.FailoverCompleted;
import io.pgops.events.replication.NodeFenced;
import io.pgops.events.replication.NodePromoted;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.testkit.KafkaTap;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The primary's lease on real processes: a primary that cannot prove it is still the primary stops being one.
 * Each scenario has a writer through PgBouncer and HAProxy as an application connects.
 */
class LeaseIT {
    private static final Duration FAILED_OVER = scaled(Duration.ofSeconds(40));
    /** The lease's ttl in the agents' default configuration. */
    private static final Duration TTL = Duration.ofSeconds(3);
    /** From SIGCONT to the old PostgreSQL stopped by its own agent (the issue asks for 1 s; room for 2 cores). */
    private static final Duration STOPPED_AFTER_WAKING = scaled(Duration.ofSeconds(3));
    /** From the cut to PostgreSQL stopped: the lease's ttl at most, plus the watch and the stop, on 2 cores. */
    private static final Duration LEASE_END = scaled(TTL.plusSeconds(3));
    /** The writer's longest wait during a Kafka outage (the goal is < 1 s; room for 2 loaded cores). */
    private static final Duration WRITE_GAP = scaled(Duration.ofSeconds(2));

    /**
     * Scenario 2 (strict synchronous mode, the default): the primary's whole node (PostgreSQL and agent) hangs for
     * ttl + 15 s. The sync standby is promoted; a poller of the old agent's {@code /primary} every 10 ms never sees
     * 200 once the node hung; a writer connected straight to the old primary's port gets no commit acknowledged
     * after the promotion; on waking, the old agent finds its lease void and stops PostgreSQL; it rejoins.
     */
    @Test
    void aHungPrimaryIsReplacedAndOnWakingItsOwnAgentStopsIt() throws Exception {
        ReplicationHarness h = new ReplicationHarness("lz", 1);
        try {
            h.awaitSettledOn(h.name(1));
            PgNode old = h.node(1);
            String oldAgent = h.door.agentNames().get(old.name());
            String oldAgentUrl = h.door.agentUrls().get(old.name());
            Poller poller = new Poller(oldAgentUrl + "/primary");
            try (ReplicationHarness.Writer front = h.new Writer("front");
                    ReplicationHarness.Writer direct = h.new Writer("direct", old.port(), 0)) {
                front.awaitAcked(20);
                direct.awaitAcked(20);
                poller.start();
                await("the poller to see the primary")
                        .atMost(scaled(Duration.ofSeconds(10)))
                        .until(poller::sawOk);
                long hung = System.nanoTime();
                h.stack.pauseService(oldAgent);
                // from here the agent is stopped: no request sent later may be answered 200 (one sent while the
                // `kill -STOP` was still being spawned may, legitimately: under load that took long enough once)
                poller.mark(System.nanoTime());
                old.pause();
                FailoverCompleted done = await("a failover away from the hung " + old.name())
                        .atMost(FAILED_OVER)
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> h.last(FailoverCompleted.class), d -> d != null);
                long promotedAt = System.nanoTime();
                assertNotEquals(old.name(), done.newPrimary().value());
                front.awaitAcked(10);
                await("ttl + 15 s of hanging")
                        .atMost(TTL.plusSeconds(30))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() ->
                                System.nanoTime() - hung > TTL.plusSeconds(15).toNanos());

                old.resume();
                long woke = System.nanoTime();
                h.stack.resumeService(oldAgent);
                await("the old primary stopped by its own agent after waking")
                        .atMost(STOPPED_AFTER_WAKING)
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> !old.isRunning());
                long stoppedMillis = (System.nanoTime() - woke) / 1_000_000;
                await("the old agent to answer again")
                        .atMost(scaled(Duration.ofSeconds(10)))
                        .until(() -> poller.answersSince(woke));
                poller.stop();
                List<Long> lateAcks = direct.ackedAt.entrySet().stream()
                        .filter(e -> e.getValue() > promotedAt)
                        .map(Map.Entry::getKey)
                        .toList();
                System.out.printf(
                        "hung primary: old PostgreSQL stopped %d ms after waking; /primary answered 200 %d times after"
                                + " the hang; %d direct commits acknowledged by the old primary after the promotion%n",
                        stoppedMillis, poller.okAfterMark(), lateAcks.size());
                assertEquals(
                        0,
                        poller.okAfterMark(),
                        "/primary of the hung old primary answered 200 after the hang, to requests sent (ms after the"
                                + " agent's SIGSTOP) " + poller.okAfterMarkOffsets());
                assertEquals(List.of(), lateAcks, "commits the old primary acknowledged after the promotion");
                assertTrue(leaseStopReported(h, "lz", old.name()), "a NodeFenced{lease-expired} from the old agent");
                front.awaitAcked(10);
                front.close();
                PgNode now = h.nodes.stream()
                        .filter(n -> n.name().equals(done.newPrimary().value()))
                        .findFirst()
                        .orElseThrow();
                assertEquals(
                        List.of(), ReplicationHarness.missing(now, "front", front.acked), "acknowledged rows lost");
            } finally {
                poller.stop();
            }
            h.awaitSettledOn(done(h));
            assertEquals("standby", old.role(), "the old primary rejoined as a standby");
        } finally {
            h.release();
        }
    }

    /**
     * Asynchronous mode: kill -9 of the primary's host. The coordinator may promote only once the old primary's
     * lease has surely run out (last grant + ttl + margin); the fence is recorded as {@code lease-expired}, the
     * best standby is promoted, and FailoverCompleted states the bytes lost. Asynchronous replication may lose
     * the last commits before the kill, never older ones.
     */
    @Test
    void inAsyncModeTheFailoverWaitsOutTheOldPrimarysLease() {
        ReplicationHarness h = new ReplicationHarness("la", 1, Map.of("pgops.clusters.la.synchronous-mode", "off"));
        try {
            h.awaitSettledOn(h.name(1));
            PgNode old = h.node(1);
            try (ReplicationHarness.Writer w = h.new Writer("acked")) {
                w.awaitAcked(30);
                long killed = System.nanoTime();
                h.stack.killService(h.door.agentNames().get(old.name()));
                old.kill();
                FailoverCompleted done = await("an automatic failover of " + old.name())
                        .atMost(FAILED_OVER)
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> h.last(FailoverCompleted.class), d -> d != null);
                long completedMillis = (System.nanoTime() - killed) / 1_000_000;
                NodeFenced fenced = h.last(NodeFenced.class);
                assertEquals("lease-expired", fenced.method(), fenced.reason());
                NodePromoted promoted = h.last(NodePromoted.class);
                assertTrue(
                        !promoted.promotedAt().isBefore(fenced.fencedAt()),
                        "promoted only after the lease wait: " + promoted.promotedAt() + " vs " + fenced.fencedAt());
                w.awaitAcked(1);
                System.out.printf(
                        "async failover: completed %d ms after the kill, first acknowledged write %d ms after it;"
                                + " lost bytes %s; %s%n",
                        completedMillis, (w.lastAckNanos() - killed) / 1_000_000, done.lostBytes(), fenced.reason());
                w.awaitAcked(20);
                w.close();
                PgNode now = h.nodes.stream()
                        .filter(n -> n.name().equals(done.newPrimary().value()))
                        .findFirst()
                        .orElseThrow();
                List<Long> lost = ReplicationHarness.missing(now, "acked", w.acked);
                long window = Duration.ofSeconds(1).toNanos();
                System.out.printf("async failover: %d acknowledged rows lost%n", lost.size());
                assertEquals(
                        List.of(),
                        lost.stream()
                                .filter(id -> w.ackedAt.get(id) < killed - window)
                                .toList(),
                        "rows acknowledged more than 1 s before the kill were lost");
                assertTrue(done.lostBytes() == null || done.lostBytes() <= 1_048_576, "lost bytes within the cap");
            }
        } finally {
            h.release();
        }
    }

    /** How Kafka goes away in scenario 6, and for how long by default. */
    enum KafkaOutage {
        /** SIGSTOP: every request times out, as with a frozen host or a network that drops packets. */
        PAUSED(30),
        /**
         * SIGKILL, started again after the outage: every connection is refused, then the broker recovers its log
         * (30 s in the build; 60 s by hand with {@code -Dpgops.test.kafka-kill-outage=60}).
         */
        KILLED(30);

        final long defaultSeconds;

        KafkaOutage(long defaultSeconds) {
            this.defaultSeconds = defaultSeconds;
        }
    }

    /**
     * Scenario 6: the Kafka broker paused for {@code pgops.test.kafka-outage} (30 s), or killed and started again
     * after {@code pgops.test.kafka-kill-outage} (30 s in the build; the 60 s by hand), under load. The primary cannot renew its lease through
     * the coordinator; the failsafe keeps it (every other agent confirms it directly), so no role changes and the
     * writer through the front door goes on; once Kafka is back, grants resume.
     */
    @ParameterizedTest
    @EnumSource(KafkaOutage.class)
    void aKafkaOutageChangesNoRoleAndTheWritesGoOn(KafkaOutage how) {
        Duration outage = Duration.ofSeconds(
                how == KafkaOutage.PAUSED
                        ? Long.getLong("pgops.test.kafka-outage", how.defaultSeconds)
                        : Long.getLong("pgops.test.kafka-kill-outage", how.defaultSeconds));
        String cluster = how == KafkaOutage.PAUSED ? "lk" : "lkk";
        ReplicationHarness h = new ReplicationHarness(cluster, 1);
        try {
            h.awaitSettledOn(h.name(1));
            PgNode primary = h.node(1);
            try (ReplicationHarness.Writer w = h.new Writer("acked")) {
                w.awaitAcked(30);
                w.resetPause();
                long stopped = System.nanoTime();
                if (how == KafkaOutage.PAUSED) {
                    h.stack.pauseKafka();
                } else {
                    h.stack.killKafka();
                }
                try {
                    await("a Kafka outage of " + outage.toSeconds() + " s")
                            .atMost(outage.plusSeconds(30))
                            .pollInterval(Duration.ofMillis(500))
                            .until(() -> {
                                assertEquals("primary", primary.role(), "the primary stays the primary");
                                return System.nanoTime() - stopped > outage.toNanos();
                            });
                } finally {
                    if (how == KafkaOutage.PAUSED) {
                        h.stack.resumeKafka();
                    } else {
                        h.stack.restartKafka();
                    }
                }
                int before = w.acked.size();
                long longest = w.longestPauseMillis();
                w.awaitAcked(50);
                w.close();
                System.out.printf(
                        "Kafka %s %d s: %d writes acknowledged meanwhile, the writer's longest pause %d ms, %d"
                                + " errors%n",
                        how.name().toLowerCase(java.util.Locale.ROOT), outage.toSeconds(), before, longest, w.errors());
                assertEquals(null, h.last(io.pgops.events.replication.FailoverStarted.class), "no failover");
                assertEquals("primary", primary.role());
                assertTrue(
                        longest < WRITE_GAP.toMillis(),
                        "the writer waited " + longest + " ms (goal < 1 s; bound " + WRITE_GAP.toMillis() + " ms)");
                assertEquals(
                        List.of(), ReplicationHarness.missing(primary, "acked", w.acked), "acknowledged rows lost");
            }
            h.awaitSettledOn(primary.name());
        } catch (AssertionError | RuntimeException e) {
            // CI run 6 saw the primary stop during a Kafka kill when this case shared its cluster with the pause
            // before it (not reproduced by hand): the logs say why the next time
            h.printLogs(120);
            throw e;
        } finally {
            h.release();
        }
    }

    /**
     * Kafka and every other agent gone at once (the failsafe cannot hold): the primary's own agent stops
     * PostgreSQL before its lease can outlast what the coordinator granted, and reports it once Kafka is back;
     * then the coordinator starts it again in place (its agent lives), no failover, and the writes go on.
     */
    @Test
    void withKafkaAndTheOtherAgentsGoneThePrimaryStopsItselfAtTheEndOfItsLease() {
        ReplicationHarness h = new ReplicationHarness("ln", 1);
        try {
            h.awaitSettledOn(h.name(1));
            PgNode primary = h.node(1);
            List<String> others = List.of(
                    h.door.agentNames().get(h.name(2)), h.door.agentNames().get(h.name(3)));
            try (ReplicationHarness.Writer w = h.new Writer("acked")) {
                w.awaitAcked(30);
                long cut = System.nanoTime();
                others.forEach(h.stack::pauseService);
                h.stack.pauseKafka();
                long stoppedMillis;
                try {
                    await("the primary's agent to stop PostgreSQL at the end of its lease")
                            .atMost(LEASE_END)
                            .pollInterval(Duration.ofMillis(50))
                            .until(() -> !primary.isRunning());
                    stoppedMillis = (System.nanoTime() - cut) / 1_000_000;
                } finally {
                    h.stack.resumeKafka();
                    others.forEach(h.stack::resumeService);
                }
                long lastAckMillis = (w.lastAckNanos() - cut) / 1_000_000;
                System.out.printf(
                        "Kafka and the other agents cut: PostgreSQL stopped %d ms after the cut, last write"
                                + " acknowledged %d ms after it%n",
                        stoppedMillis, lastAckMillis);
                assertTrue(
                        lastAckMillis <= TTL.toMillis(),
                        "a write was acknowledged " + lastAckMillis + " ms after the cut, beyond the lease's ttl");
                assertTrue(leaseStopReported(h, "ln", primary.name()), "NodeFenced{lease-expired}, once Kafka is back");
                w.awaitAcked(20); // started again in place by the coordinator
                w.close();
                assertEquals(null, h.last(io.pgops.events.replication.FailoverStarted.class), "no failover");
                assertEquals(
                        List.of(), ReplicationHarness.missing(primary, "acked", w.acked), "acknowledged rows lost");
            }
            h.awaitSettledOn(primary.name());
        } finally {
            h.release();
        }
    }

    private static String done(ReplicationHarness h) {
        return h.last(FailoverCompleted.class).newPrimary().value();
    }

    private static boolean leaseStopReported(ReplicationHarness h, String cluster, String node) {
        return await("the old agent's report of its stop")
                .atMost(scaled(Duration.ofSeconds(20)))
                .until(
                        () -> KafkaTap.events(h.stack.kafkaBootstrap(), Topics.REPLICATION_EVENTS).stream()
                                .map(EventEnvelope::data)
                                .anyMatch(d -> d instanceof NodeFenced f
                                        && f.cluster().value().equals(cluster)
                                        && f.node().value().equals(node)
                                        && f.method().equals("lease-expired")),
                        b -> b);
    }

    /** Asks a {@code /primary} every 10 ms and keeps (when asked, status) of every answer. */
    private static final class Poller {
        private record Answer(long sentNanos, int status) {}

        private final HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        private final URI uri;
        private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        private volatile boolean running = true;
        private volatile long mark = Long.MAX_VALUE;
        private Thread thread;

        Poller(String url) {
            this.uri = URI.create(url);
        }

        void start() {
            thread = new Thread(
                    () -> {
                        while (running) {
                            long sent = System.nanoTime();
                            try {
                                HttpResponse<Void> r = http.send(
                                        HttpRequest.newBuilder(uri)
                                                .timeout(Duration.ofMillis(500))
                                                .GET()
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding());
                                answers.add(new Answer(sent, r.statusCode()));
                            } catch (java.io.IOException e) {
                                answers.add(new Answer(sent, 0));
                            } catch (InterruptedException e) {
                                return;
                            }
                            try {
                                Thread.sleep(10);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    },
                    "primary-poller");
            thread.setDaemon(true);
            thread.start();
        }

        /** From here on, a 200 is a failure: the node hangs (requests sent after it). */
        void mark(long nanos) {
            mark = nanos;
        }

        boolean sawOk() {
            return answers.stream().anyMatch(a -> a.status() == 200);
        }

        boolean answersSince(long nanos) {
            return answers.stream().anyMatch(a -> a.sentNanos() > nanos && a.status() > 0);
        }

        long okAfterMark() {
            return answers.stream()
                    .filter(a -> a.sentNanos() > mark && a.status() == 200)
                    .count();
        }

        List<Long> okAfterMarkOffsets() {
            return answers.stream()
                    .filter(a -> a.sentNanos() > mark && a.status() == 200)
                    .map(a -> (a.sentNanos() - mark) / 1_000_000)
                    .toList();
        }

        void stop() {
            running = false;
        }
    }
}
