package io.pgops.replication.it;

import static io.pgops.replication.it.ReplicationHarness.scaled;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pgops.events.replication.FailoverCompleted;
import io.pgops.stack.postgres.PgNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 17's failover benchmark (run on demand, see bench/README.md), in strict synchronous mode (the default)
 * or, with {@code -Dpgops.bench.mode=off}, asynchronous mode (the promotion then waits out the old primary's
 * lease): N rounds of
 * kill -9 of the primary's agent and postmaster under a writer committing through PgBouncer; each round
 * waits for the automatic failover, then brings the old host back (PostgreSQL, then its agent) and waits
 * for it to rejoin. Prints min / median / p95 / max of the time from the kill to the failover's end and to
 * the first acknowledged write after it, and the acknowledged rows lost (asserted 0 in strict mode; in
 * asynchronous mode counted, with FailoverCompleted's lost bytes).
 */
class FailoverBench {
    private static String cluster;

    @Test
    void killTheHostOfThePrimaryUnderWriteLoad() {
        int n = Integer.getInteger("pgops.bench.failovers", 5);
        String mode = System.getProperty("pgops.bench.mode", "strict");
        cluster = "strict".equals(mode) ? "fobench" : "fobench" + mode;
        // rounds follow each other faster than the 30 s default cooldown between automatic failovers
        ReplicationHarness h = new ReplicationHarness(
                cluster,
                1,
                java.util.Map.of(
                        "pgops.coordinator.failover-cooldown",
                        "2s",
                        "pgops.clusters." + cluster + ".synchronous-mode",
                        mode));
        h.awaitSettledOn(h.name(1));
        List<Long> completed = new ArrayList<>();
        List<Long> firstAck = new ArrayList<>();
        List<Long> lostBytes = new ArrayList<>();
        PgNode primary = h.node(1);
        try (ReplicationHarness.Writer w = h.new Writer("bench_load")) {
            w.awaitAcked(100);
            for (int i = 0; i < n; i++) {
                int before = h.events(FailoverCompleted.class).size();
                w.awaitAcked(50);
                long killed = System.nanoTime();
                h.stack.killService(h.door.agentNames().get(primary.name()));
                primary.kill();
                FailoverCompleted done = await("failover " + (i + 1))
                        .atMost(scaled(Duration.ofSeconds(60)))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> h.events(FailoverCompleted.class), l -> l.size() > before)
                        .getLast();
                long doneMillis = (System.nanoTime() - killed) / 1_000_000;
                w.awaitAcked(1);
                long ackMillis = (firstAckAfterOutage(w, killed) - killed) / 1_000_000;
                completed.add(doneMillis);
                lostBytes.add(done.lostBytes() == null ? -1 : done.lostBytes());
                firstAck.add(ackMillis);
                System.out.printf(
                        "failover %d/%d %s -> %s: completed %d ms after the kill, first acknowledged write %d ms; %s%n",
                        i + 1, n, primary.name(), done.newPrimary().value(), doneMillis, ackMillis, done.reason());
                PgNode old = primary;
                primary = h.nodes.stream()
                        .filter(x -> x.name().equals(done.newPrimary().value()))
                        .findFirst()
                        .orElseThrow();
                old.start();
                h.stack.restartService(h.door.agentNames().get(old.name()));
                h.awaitSettledOn(primary.name());
            }
            w.close();
            List<Long> lost = ReplicationHarness.missing(primary, "bench_load", w.acked);
            System.out.printf("  kill -> failover completed ms:         %s%n", stats(completed));
            System.out.printf("  kill -> first acknowledged write ms:   %s%n", stats(firstAck));
            System.out.printf(
                    "  mode %s: acknowledged rows lost: %d of %d; FailoverCompleted.lostBytes per round (-1: unknown):"
                            + " %s%n",
                    mode, lost.size(), w.acked.size(), lostBytes);
            if ("strict".equals(mode)) {
                assertEquals(List.of(), lost, "acknowledged rows lost");
            }
        } finally {
            h.release();
        }
    }

    private static String stats(List<Long> values) {
        List<Long> s = new ArrayList<>(values);
        Collections.sort(s);
        long median = s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
        return "min " + s.getFirst() + " / median " + median + " / p95 "
                + s.get(Math.min(s.size() - 1, (int) Math.ceil(s.size() * 0.95) - 1)) + " / max " + s.getLast();
    }

    /**
     * When the writer's first commit after the outage was acknowledged: the end of the longest gap between two
     * acknowledgements that ends after the kill (the outage; before it the writer commits every few ms). Not the
     * first acknowledgement after the bench saw FailoverCompleted, which would count the event's delivery too.
     */
    private static long firstAckAfterOutage(ReplicationHarness.Writer w, long killed) {
        long[] times = w.ackedAt.values().stream()
                .mapToLong(Long::longValue)
                .filter(t -> t - killed > -2_000_000_000L)
                .sorted()
                .toArray();
        long gap = -1;
        long end = times[times.length - 1];
        for (int i = 1; i < times.length; i++) {
            if (times[i] - killed > 0 && times[i] - times[i - 1] > gap) {
                gap = times[i] - times[i - 1];
                end = times[i];
            }
        }
        return end;
    }
}
