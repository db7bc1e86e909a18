package io.pgops.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.pgtools.Cmd;
import io.pgops.pgtools.PgBinaries;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.process.Wait;
import io.pgops.stack.testkit.TestStack;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The faults failover tests inject are real: a killed postmaster is gone, a paused one hangs. */
class NodeFaultsIT {
    static List<PgNode> nodes;

    @BeforeAll
    static void ownCluster() {
        nodes = TestStack.get().newCluster("faults");
    }

    @Test
    void anOwnClusterStreamsWithSlotNamesPostgresAccepts() {
        assertEquals(
                "faults-node2:sync\nfaults-node3:async",
                nodes.getFirst()
                        .sql("SELECT application_name || ':' || sync_state FROM pg_stat_replication ORDER BY 1"));
        assertEquals(
                "faults_node2\nfaults_node3",
                nodes.getFirst().sql("SELECT slot_name FROM pg_replication_slots" + " WHERE active ORDER BY 1"));
    }

    @Test
    void aKilledPostmasterIsGoneAndCrashRecoversOnStart() {
        PgNode standby = nodes.get(2);
        long before = standby.pid().orElseThrow();
        standby.kill();
        Wait.until(
                "the postmaster " + before + " to be gone",
                Duration.ofSeconds(20),
                () -> ProcessHandle.of(before).isEmpty()
                        || !ProcessHandle.of(before).get().isAlive());
        assertFalse(standby.isRunning());
        standby.start();
        assertNotEquals(before, standby.pid().orElseThrow());
        assertEquals("standby", standby.role());
    }

    @Test
    void aPausedNodeAcceptsConnectionsButNeverAnswersUntilResumed() {
        PgNode standby = nodes.get(2);
        standby.pause();
        try {
            Cmd.Result r = Cmd.of(
                            PgBinaries.locate().tool("psql"),
                            "-X",
                            "-At",
                            "-h",
                            "127.0.0.1",
                            "-p",
                            Integer.toString(standby.port()),
                            "-U",
                            "postgres",
                            "-d",
                            "postgres",
                            "-c",
                            "SELECT 1")
                    .env("PGCONNECT_TIMEOUT", "2")
                    .timeoutSeconds(10)
                    .tryRun();
            assertNotEquals(0, r.exitCode(), "a paused node answered: " + r.output());
            assertTrue(r.output().contains("timeout"), r.output());
        } finally {
            standby.resume();
        }
        assertEquals("1", standby.sql("SELECT 1"));
    }
}
