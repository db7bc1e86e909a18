package io.pgops.replication.it;

import static io.pgops.replication.it.ReplicationHarness.scaled;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.replication.FailoverCompleted;
import io.pgops.events.replication.FailoverStarted;
import io.pgops.events.replication.HostFactsReported;
import io.pgops.events.replication.NodePromoted;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.testkit.Isolation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, scenario 4: the primary's agent cut off from Kafka and from its peers (its connections refused, as
 * a network partition or a firewall rule would), while the coordinator still reaches it and its PostgreSQL. The
 * agent can renew no lease and the failsafe finds no peer: it stops PostgreSQL before the lease it holds ends.
 * The coordinator, which hears Kafka all along, sees the agent renew nothing, makes no restart in place (it could
 * not hold) and fails over to the synchronous standby after the old PostgreSQL stopped: no acknowledged write
 * lost. Once the cut ends, the old node rejoins as a standby.
 */
class AgentCutOffIT {
    /** The lease's ttl in the agents' default configuration. */
    private static final Duration TTL = Duration.ofSeconds(3);
    /** From the cut to PostgreSQL stopped: the lease's ttl at most, plus the watch and the stop, on 2 cores. */
    private static final Duration LEASE_END = scaled(TTL.plusSeconds(3));
    /** Three ttls without a renewal, the change itself, room for 2 loaded cores. */
    private static final Duration FAILED_OVER = scaled(Duration.ofSeconds(40));

    @Test
    void aPrimaryWhoseAgentIsCutOffFromKafkaAndItsPeersStopsBeforeItsLeaseEndsAndTheSyncStandbyTakesOver() {
        ReplicationHarness h = new ReplicationHarness("cut", 1, i -> Map.of(), 1);
        Isolation isolation = h.stack.isolation("cut");
        try {
            h.awaitSettledOn(h.name(1));
            everyAgentReportedThisMachineAsItsHost(h);
            PgNode old = h.node(1);
            try (ReplicationHarness.Writer w = h.new Writer("acked")) {
                w.awaitAcked(30);
                long cut = System.nanoTime();
                isolation.cut();
                await("the cut-off agent to stop its PostgreSQL")
                        .atMost(LEASE_END)
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> !old.isRunning());
                Instant stoppedSeen = Instant.now();
                long stoppedMillis = (System.nanoTime() - cut) / 1_000_000;
                long lastAckBeforeStopMillis = (w.lastAckNanos() - cut) / 1_000_000;

                FailoverCompleted done;
                try {
                    done = await("a failover away from the cut-off " + old.name())
                            .atMost(FAILED_OVER)
                            .pollInterval(Duration.ofMillis(100))
                            .until(() -> h.last(FailoverCompleted.class), d -> d != null);
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    throw new AssertionError(
                            e.getMessage() + "\ncoordinator:\n" + h.ownLogTail(h.coordinatorNames.getFirst(), 60)
                                    + "\ncut-off agent:\n"
                                    + h.ownLogTail(h.door.agentNames().get(old.name()), 30)
                                    + "\nevents:\n"
                                    + String.join(
                                            "\n",
                                            h.events().stream()
                                                    .map(x -> x.time() + " " + x.data())
                                                    .toList())
                                    + "\ncoordinator's threads:\n"
                                    + h.stack.threadDump(h.coordinatorNames.getFirst()),
                            e);
                }
                long completedMillis = (System.nanoTime() - cut) / 1_000_000;
                assertEquals(old.name(), done.oldPrimary().value());
                assertNotEquals(old.name(), done.newPrimary().value());
                NodePromoted promoted = h.last(NodePromoted.class);
                assertTrue(
                        promoted.promotedAt().isAfter(stoppedSeen),
                        "promoted at " + promoted.promotedAt() + ", before the old PostgreSQL was seen stopped at "
                                + stoppedSeen);
                FailoverStarted started = h.last(FailoverStarted.class);
                assertTrue(
                        started.reason().contains("cut off from Kafka"),
                        "the failover names the cause: " + started.reason());
                w.awaitAcked(1);
                System.out.printf(
                        "agent cut off: PostgreSQL stopped %d ms after the cut (last write acknowledged %d ms after"
                                + " it), failover completed %d ms after it, first acknowledged write on %s %d ms"
                                + " after it%n",
                        stoppedMillis,
                        lastAckBeforeStopMillis,
                        completedMillis,
                        done.newPrimary().value(),
                        (w.lastAckNanos() - cut) / 1_000_000);
                w.awaitAcked(20);
                w.close();
                PgNode now = h.nodes.stream()
                        .filter(n -> n.name().equals(done.newPrimary().value()))
                        .findFirst()
                        .orElseThrow();
                assertEquals(List.of(), ReplicationHarness.missing(now, "acked", w.acked), "acknowledged rows lost");
                isolation.restore();
                h.awaitSettledOn(now.name());
            }
        } finally {
            isolation.restore();
            h.release();
        }
    }

    /** Issue 19: each agent read its host (this machine) from /proc and /sys and published it at its start. */
    private static void everyAgentReportedThisMachineAsItsHost(ReplicationHarness h) {
        int swappiness = Integer.parseInt(cat("/proc/sys/vm/swappiness"));
        for (PgNode n : h.nodes) {
            HostFactsReported r = await("the agent of " + n.name() + " to report its host")
                    .atMost(scaled(Duration.ofSeconds(30)))
                    .pollInterval(Duration.ofMillis(200))
                    .until(
                            () -> h.events(HostFactsReported.class).stream()
                                    .filter(f -> f.node().value().equals(n.name()))
                                    .reduce((a, b) -> b)
                                    .orElse(null),
                            f -> f != null);
            assertEquals(swappiness, r.swappiness(), r.toString());
            assertEquals(Runtime.getRuntime().availableProcessors(), r.cpus(), r.toString());
            assertEquals(n.dataDir().toString(), r.dataDirectory(), r.toString());
            assertTrue(r.ramBytes() != null && r.mountOptions() != null, r.toString());
            System.out.println("AgentCutOffIT: " + n.name() + "'s agent reported " + r);
        }
    }

    /** As cat reads it: Files.readString reads /proc/sys's 60 as 6 (one byte first, then offset 1 is the end). */
    private static String cat(String file) {
        try {
            Process p = new ProcessBuilder("cat", file).start();
            return new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
