package io.pgops.health.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.EventEnvelope;
import io.pgops.events.health.HealthCheckFailed;
import io.pgops.events.health.HealthCheckRecovered;
import io.pgops.events.health.LagExceeded;
import io.pgops.events.health.LagRecovered;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.testkit.PgopsTestResource;
import io.pgops.stack.testkit.TestStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against the real 3-node cluster (node1 primary, node2 sync, node3 async), shared by every test of
 * the JVM: each test leaves it as it found it (replay resumed, sessions ended, tables dropped).
 */
@QuarkusTest
@QuarkusTestResource(
        value = PgopsTestResource.class,
        initArgs = @ResourceArg(name = "cluster", value = "true"),
        restrictToAnnotatedClass = true)
@QuarkusTestResource(value = ItThresholds.class, restrictToAnnotatedClass = true)
class ClusterChecksIT {
    static HealthEventsTap tap;
    static ExecutorService sessions;
    List<PgNode> cluster = TestStack.get().cluster();

    @BeforeAll
    static void tap() {
        tap = new HealthEventsTap();
        sessions = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void close() {
        tap.close();
        sessions.shutdownNow();
    }

    @Test
    void pausedReplayOnTheAsyncStandbyRaisesLagExceededWithTheBytesAndResumingRaisesLagRecovered() {
        PgNode primary = cluster.get(0);
        PgNode node3 = cluster.get(2);
        Instant start = Instant.now();
        primary.sql("CREATE TABLE IF NOT EXISTS health_it_lag (id int, pad text)");
        node3.sql("SELECT pg_wal_replay_pause()");
        EventEnvelope exceeded;
        try {
            exceeded = await("LagExceeded for node3 while its replay is paused and node1 writes")
                    .atMost(Deadlines.BREACH)
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () -> {
                                primary.sql("INSERT INTO health_it_lag SELECT g, repeat('x', 200)"
                                        + " FROM generate_series(1, 5000) g");
                                return tap.find(e -> e.data() instanceof LagExceeded l
                                        && l.node().value().equals("node3")
                                        && l.probedAt().isAfter(start));
                            },
                            e -> e != null);
        } finally {
            node3.sql("SELECT pg_wal_replay_resume()");
        }
        LagExceeded lag = (LagExceeded) exceeded.data();
        assertTrue(lag.lagBytes() > ItThresholds.LAG_BYTES, "lag " + lag.lagBytes() + " bytes");
        assertEquals(ItThresholds.LAG_BYTES, lag.maxLagBytes());
        assertEquals("node1", lag.primary().value());
        assertEquals(lag.lagBytes(), lag.primaryLsn().bytesSince(lag.standbyReplayLsn()));
        assertTrue(lag.reason().contains("replay is paused"), lag.reason());
        EventEnvelope failed = tap.find(e -> e.data() instanceof HealthCheckFailed f
                && f.check().equals("replication-lag")
                && e.correlationId().equals(exceeded.correlationId()));
        assertTrue(failed != null, "HealthCheckFailed replication-lag in the same incident");

        EventEnvelope recovered = await("LagRecovered for node3 once replay resumed")
                .atMost(Deadlines.RECOVERY)
                .until(
                        () -> tap.find(e -> e.data() instanceof LagRecovered
                                && e.correlationId().equals(exceeded.correlationId())),
                        e -> e != null);
        assertTrue(((LagRecovered) recovered.data()).lagBytes() <= ItThresholds.LAG_BYTES);
        primary.sql("DROP TABLE health_it_lag");
    }

    @Test
    void aStatementRunningLongerThanTheLimitIsABreachThatQuotesItAndEndsWhenItIsCancelled() {
        PgNode primary = cluster.get(0);
        Instant start = Instant.now();
        CompletableFuture<?> sleeper =
                CompletableFuture.runAsync(() -> tryRun(primary, "SELECT pg_sleep(60) /* health-it-long */"), sessions);
        EventEnvelope failed;
        try {
            failed = await("HealthCheckFailed long-queries on node1 quoting the statement")
                    .atMost(Deadlines.BREACH)
                    .until(
                            () -> tap.find(e -> e.data() instanceof HealthCheckFailed f
                                    && f.check().equals("long-queries")
                                    && f.node().value().equals("node1")
                                    && f.probedAt().isAfter(start)
                                    && f.evidence().contains("health-it-long")),
                            e -> e != null);
        } finally {
            primary.sql("SELECT pg_cancel_backend(pid) FROM pg_stat_activity"
                    + " WHERE query LIKE '%health-it-long%' AND pid <> pg_backend_pid()");
        }
        sleeper.join();
        HealthCheckFailed f = (HealthCheckFailed) failed.data();
        assertEquals(0, f.threshold());
        assertEquals("sessions", f.unit());
        await("HealthCheckRecovered long-queries once the statement is cancelled")
                .atMost(Deadlines.RECOVERY)
                .until(
                        () -> tap.find(e -> e.data() instanceof HealthCheckRecovered
                                && e.correlationId().equals(failed.correlationId())),
                        e -> e != null);
    }

    @Test
    void twoSessionsInALockConflictPutTheBlockingChainWithPidsAndStatementsInTheEvidence() {
        PgNode primary = cluster.get(0);
        Instant start = Instant.now();
        primary.sql("CREATE TABLE IF NOT EXISTS health_it_lock (id int)");
        CompletableFuture<?> blocker = CompletableFuture.runAsync(
                () -> tryRun(
                        primary,
                        "BEGIN; LOCK TABLE health_it_lock IN ACCESS EXCLUSIVE MODE;"
                                + " SELECT pg_sleep(60) /* health-it-blocker */; COMMIT;"),
                sessions);
        await("the blocker holds its lock")
                .atMost(Deadlines.scaled(10))
                .until(() -> !primary.sql("SELECT pid FROM pg_stat_activity WHERE query LIKE '%health-it-blocker%'"
                                + " AND pid <> pg_backend_pid()")
                        .isEmpty());
        CompletableFuture<?> waiter = CompletableFuture.runAsync(
                () -> tryRun(primary, "SELECT count(*) /* health-it-waiter */ FROM health_it_lock"), sessions);
        EventEnvelope failed;
        try {
            failed = await("HealthCheckFailed blocked-sessions on node1 naming both sessions")
                    .atMost(Deadlines.BREACH)
                    .until(
                            () -> tap.find(e -> e.data() instanceof HealthCheckFailed f
                                    && f.check().equals("blocked-sessions")
                                    && f.probedAt().isAfter(start)),
                            e -> e != null);
        } finally {
            primary.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE query LIKE '%health-it-blocker%' AND pid <> pg_backend_pid()");
        }
        CompletableFuture.allOf(blocker, waiter).join();
        String evidence = ((HealthCheckFailed) failed.data()).evidence();
        String blockerPid = evidence.replaceAll(".* for pid (\\d+) .*", "$1");
        assertTrue(evidence.contains("health-it-waiter") && evidence.contains("health-it-blocker"), evidence);
        assertTrue(blockerPid.matches("\\d+"), evidence);
        await("HealthCheckRecovered blocked-sessions once the blocker is gone")
                .atMost(Deadlines.RECOVERY)
                .until(
                        () -> tap.find(e -> e.data() instanceof HealthCheckRecovered
                                && e.correlationId().equals(failed.correlationId())),
                        e -> e != null);
        primary.sql("DROP TABLE health_it_lock");
    }

    /** A session the test ends on purpose fails its psql: that is the point, not an error. */
    private static void tryRun(PgNode node, String sql) {
        try {
            node.sql(sql);
        } catch (RuntimeException expected) {
            // cancelled or terminated by the test
        }
    }
}
