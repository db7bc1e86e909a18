package io.pgops.replication.it;

import static io.pgops.replication.it.ReplicationHarness.scaled;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.replication.FailoverCompleted;
import io.pgops.events.replication.FailoverStarted;
import io.pgops.pgtools.Cmd;
import io.pgops.stack.postgres.PgNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: "before promoting, the candidate fetches WAL another standby has beyond it where it can". Asynchronous
 * mode, node 3 tagged {@code nofailover}. Node 2's WAL receiver is frozen (SIGSTOP) while the primary commits rows
 * that node 3 receives; then the primary's host dies (kill -9 of PostgreSQL and agent), and node 2's frozen receiver
 * is killed too (SIGKILL: what the primary had sent into its socket is gone with it; node 2's postmaster restarts
 * it as after any crash of a child). Node 2 is the only candidate and lacks those rows: without the fetch they
 * would be lost (within the 1 MiB lag cap, so the failover itself is allowed). It streams them from node 3 first,
 * then is promoted with them.
 */
class WalFetchIT {
    private static final Duration FAILED_OVER = scaled(Duration.ofSeconds(40));
    private static final int ROWS = 300;

    @Test
    void theCandidateFetchesTheWalANofailoverStandbyReceivedBeyondItBeforeItIsPromoted() {
        ReplicationHarness h = new ReplicationHarness(
                "wf",
                1,
                Map.of(
                        "pgops.clusters.wf.synchronous-mode", "off",
                        "pgops.clusters.wf.nodes.wf-node3.nofailover", "true"));
        String receiver = null;
        try {
            h.awaitSettledOn(h.name(1));
            PgNode primary = h.node(1);
            PgNode cand = h.node(2);
            PgNode other = h.node(3);
            primary.sql("CREATE TABLE fetched (id int PRIMARY KEY)");
            await("the table on both standbys")
                    .atMost(scaled(Duration.ofSeconds(20)))
                    .ignoreExceptions()
                    .until(() -> "0".equals(cand.sql("SELECT count(*) FROM fetched"))
                            && "0".equals(other.sql("SELECT count(*) FROM fetched")));
            receiver = cand.sql("SELECT pid FROM pg_stat_wal_receiver").trim();
            assertTrue(receiver.matches("[0-9]+"), "node 2 streams: " + receiver);
            Cmd.of("kill", "-STOP", receiver).run();

            primary.sql("INSERT INTO fetched SELECT g FROM generate_series(1, " + ROWS + ") g");
            String lsn = primary.sql("SELECT pg_current_wal_lsn()").trim();
            await("node 3 to receive the rows")
                    .atMost(scaled(Duration.ofSeconds(20)))
                    .until(() -> "t".equals(other.sql("SELECT pg_last_wal_receive_lsn() >= '" + lsn + "'")));
            assertEquals("f", cand.sql("SELECT pg_last_wal_receive_lsn() >= '" + lsn + "'"), "node 2 lacks them");

            h.stack.killService(h.door.agentNames().get(primary.name()));
            primary.kill();
            Cmd.of("kill", "-KILL", receiver).run();
            receiver = null;

            FailoverCompleted done = await("an automatic failover")
                    .atMost(FAILED_OVER)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> h.last(FailoverCompleted.class), d -> d != null);
            assertEquals(cand.name(), done.newPrimary().value(), "node 3 is tagged nofailover");
            FailoverStarted started = h.last(FailoverStarted.class);
            System.out.println("wal fetch: " + started.reason());
            assertTrue(started.reason().contains("fetched it from " + other.name()), started.reason());
            assertEquals(
                    Integer.toString(ROWS),
                    cand.sql("SELECT count(*) FROM fetched"),
                    "the rows only node 3 had received are on the new primary");
        } finally {
            if (receiver != null) {
                Cmd.of("kill", "-CONT", receiver).tryRun();
            }
            h.release();
        }
    }
}
