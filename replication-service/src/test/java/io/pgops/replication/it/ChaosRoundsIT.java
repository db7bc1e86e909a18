package io.pgops.replication.it;

import static io.pgops.replication.it.ReplicationHarness.scaled;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.Topics;
import io.pgops.events.replication.FailoverCompleted;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.testkit.KafkaTap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, scenario 7: rounds of kill -9 of the primary's host (PostgreSQL and agent) while the standbys restart
 * in a loop ({@code pg_ctl stop -m immediate} and start, one a second, until 2 s after each kill), strict
 * synchronous mode, a writer
 * through PgBouncer recording every acknowledged write. Each round ends with exactly one primary and two streaming
 * standbys; at the end not one acknowledged row is missing. {@code -Dpgops.test.chaos-rounds} (default 2 in the
 * build; the 50 by hand) sets the rounds.
 */
class ChaosRoundsIT {
    private static final String CLUSTER = "chaos";

    @Test
    void killingThePrimaryWhileStandbysRestartLosesNoAcknowledgedWrite() {
        int rounds = Integer.getInteger("pgops.test.chaos-rounds", 2);
        ReplicationHarness h = new ReplicationHarness(
                CLUSTER,
                1,
                Map.of(
                        "pgops.coordinator.failover-cooldown",
                        "2s",
                        "pgops.clusters." + CLUSTER + ".synchronous-mode",
                        "strict"));
        ScheduledExecutorService restarter = Executors.newSingleThreadScheduledExecutor();
        // only running standbys are restarted (the primary and the killed host never); paused while a round settles
        AtomicBoolean paused = new AtomicBoolean();
        AtomicInteger restarts = new AtomicInteger();
        AtomicInteger turn = new AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<String> skipped =
                new java.util.concurrent.atomic.AtomicReference<>("none");
        java.util.concurrent.atomic.AtomicReference<Throwable> broken =
                new java.util.concurrent.atomic.AtomicReference<>();
        try {
            h.awaitSettledOn(h.name(1));
            PgNode primary = h.node(1);
            try (ReplicationHarness.Writer w = h.new Writer("chaos_load")) {
                w.awaitAcked(50);
                restarter.scheduleWithFixedDelay(
                        () -> {
                            if (paused.get()) {
                                return;
                            }
                            List<PgNode> running =
                                    h.nodes.stream().filter(PgNode::isRunning).toList();
                            if (running.isEmpty()) {
                                return;
                            }
                            PgNode n = running.get(Math.floorMod(turn.getAndIncrement(), running.size()));
                            try {
                                if ("standby".equals(n.role())) {
                                    n.stop("immediate");
                                    n.start();
                                    restarts.incrementAndGet();
                                }
                            } catch (RuntimeException e) { // its agent or the coordinator started it first
                                skipped.set(n.name() + ": " + e.getMessage());
                            } catch (Throwable t) { // a periodic task that throws is never run again: say so
                                broken.set(t);
                                throw t;
                            }
                        },
                        1000,
                        1000,
                        TimeUnit.MILLISECONDS);
                for (int i = 0; i < rounds; i++) {
                    PgNode victim = primary;
                    int before = h.events(FailoverCompleted.class).size();
                    int restartsBefore = restarts.get();
                    // the kill comes while the standbys are being restarted: two restarts under the writer first
                    await("two standby restarts before kill " + (i + 1))
                            .atMost(scaled(Duration.ofSeconds(60)))
                            .conditionEvaluationListener(c -> {
                                if (c.getRemainingTimeInMS()
                                        <= c.getPollInterval().toMillis()) {
                                    System.out.println("chaos: last restart skipped: " + skipped.get());
                                }
                            })
                            .until(() -> {
                                if (broken.get() != null) {
                                    throw new AssertionError("the standby restarter died", broken.get());
                                }
                                return restarts.get() >= restartsBefore + 2;
                            });
                    w.awaitAcked(30);
                    long killed = System.nanoTime();
                    h.stack.killService(h.door.agentNames().get(victim.name()));
                    victim.kill();
                    // restarts go on for 2 s after the kill (a standby is down or starting as the failover begins),
                    // then stop until the round has settled: a restart every second for ever starves any promotion
                    restarter.schedule(() -> paused.set(true), 2, TimeUnit.SECONDS);
                    FailoverCompleted done;
                    try {
                        done = await("failover " + (i + 1) + " of " + rounds)
                                .atMost(scaled(Duration.ofSeconds(90)))
                                .pollInterval(Duration.ofMillis(100))
                                .until(() -> h.events(FailoverCompleted.class), l -> l.size() > before)
                                .getLast();
                    } catch (org.awaitility.core.ConditionTimeoutException e) {
                        KafkaTap.events(h.stack.kafkaBootstrap(), Topics.REPLICATION_EVENTS).stream()
                                .filter(x -> x.subject().value().equals(CLUSTER))
                                .skip(Math.max(0, before - 1))
                                .forEach(x -> System.out.println("chaos event: " + x.data()));
                        h.printLogs(150);
                        throw e;
                    }
                    PgNode next = h.nodes.stream()
                            .filter(x -> x.name().equals(done.newPrimary().value()))
                            .findFirst()
                            .orElseThrow();
                    System.out.printf(
                            "chaos round %d/%d: %s -> %s in %d ms (%d standby restarts so far)%n",
                            i + 1,
                            rounds,
                            victim.name(),
                            next.name(),
                            (System.nanoTime() - killed) / 1_000_000,
                            restarts.get());
                    victim.start();
                    h.stack.restartService(h.door.agentNames().get(victim.name()));
                    primary = next;
                    // each round ends settled (one primary, two streaming standbys) before the restarts resume
                    h.awaitSettledOn(primary.name());
                    paused.set(false);
                }
                restarter.shutdownNow();
                await("the restarter to stop").atMost(Duration.ofSeconds(30)).until(restarter::isTerminated);
                h.awaitSettledOn(primary.name());
                w.awaitAcked(20);
                w.close();
                List<Long> lost = ReplicationHarness.missing(primary, "chaos_load", w.acked);
                System.out.printf(
                        "chaos: %d rounds, %d standby restarts, %d acknowledged writes, %d lost%n",
                        rounds, restarts.get(), w.acked.size(), lost.size());
                assertTrue(restarts.get() >= 2 * rounds, "the standbys restarted during the rounds: " + restarts.get());
                assertEquals(List.of(), lost, "acknowledged rows lost");
                assertEquals(
                        1,
                        h.nodes.stream().filter(n -> "primary".equals(n.role())).count(),
                        "one primary");
            }
        } finally {
            restarter.shutdownNow();
            h.release();
        }
    }
}
