package io.pgops.replication.service;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.pgtools.Cmd;
import io.pgops.pgtools.OsUser;
import io.pgops.pgtools.PgBinaries;
import io.pgops.replication.domain.RejoinOutcome;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.postgres.PgTopology;
import io.pgops.stack.testkit.TestStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The agent's actions on a real cluster of its own: given the primary killed with SIGKILL, when its
 * sync standby is promoted, the async standby follows it and the old primary rejoins, then every
 * acknowledged row is everywhere and all three are on the new timeline.
 */
class NodeActionsIT {
    static final Duration STREAMING = Duration.ofSeconds(60);

    static NodeActions actions(PgNode n) {
        TestStack stack = TestStack.get();
        return new NodeActions(new NodeHandle(
                n.name(),
                n.dataDir(),
                n.port(),
                n.serverOptions(),
                n.logFile(),
                PgBinaries.locate(),
                OsUser.forPostgres(),
                new NodeHandle.Account(PgTopology.PGOPS_USER, stack.secrets().password(PgTopology.PGOPS_USER)),
                new NodeHandle.Account(
                        PgTopology.REPLICATION_USER, stack.secrets().password(PgTopology.REPLICATION_USER))));
    }

    @Test
    void killedPrimaryIsRewoundAndStreamsFromThePromotedSyncStandbyWithEveryAcknowledgedRow() throws Exception {
        List<PgNode> nodes = TestStack.get().newCluster("rejoin");
        PgNode old = nodes.get(0);
        PgNode sync = nodes.get(1);
        PgNode async = nodes.get(2);
        old.sql("CREATE TABLE acked (id int PRIMARY KEY); INSERT INTO acked VALUES (1)"); // acknowledged: sync commit

        old.kill();
        await("the old primary to be dead").atMost(STREAMING).until(() -> !old.isRunning());

        NodeActions promoted = actions(sync);
        promoted.promote();
        assertEquals("primary", sync.role());
        assertEquals("1", sync.sql("SELECT count(*) FROM acked"), "the acknowledged row survived the failover");
        promoted.promote(); // idempotent: a primary is left alone
        for (PgNode n : List.of(old, async)) {
            promoted.ensureSlot(PgTopology.slotName(n.name()));
        }
        promoted.ensureSlot(PgTopology.slotName(async.name())); // idempotent
        actions(async).follow("127.0.0.1", sync.port(), PgTopology.slotName(async.name()));
        awaitStreaming(sync, async.name());
        promoted.synchronousStandbys(1, List.of(async.name()));
        sync.sql("INSERT INTO acked VALUES (2)"); // acknowledged once the async standby, now sync, has it

        RejoinOutcome outcome = actions(old).rejoin("127.0.0.1", sync.port(), PgTopology.slotName(old.name()));
        assertEquals("rewind", outcome.method(), outcome.reason());
        awaitStreaming(sync, old.name());
        // a repeated rejoin (a retried command) leaves one upstream in postgresql.auto.conf, not two
        actions(old).rejoin("127.0.0.1", sync.port(), PgTopology.slotName(old.name()));
        awaitStreaming(sync, old.name());
        List<String> conf = Files.readAllLines(old.dataDir().resolve("postgresql.auto.conf"));
        assertEquals(
                1,
                conf.stream().filter(l -> l.startsWith("primary_conninfo")).count(),
                "one primary_conninfo after two rejoins");
        assertEquals(
                1,
                conf.stream().filter(l -> l.startsWith("primary_slot_name")).count(),
                "one primary_slot_name after two rejoins");

        sync.sql("INSERT INTO acked VALUES (3)");
        String lsn = sync.sql("SELECT pg_current_wal_lsn()");
        for (PgNode standby : List.of(old, async)) {
            await(standby.name() + " to replay " + lsn)
                    .atMost(STREAMING)
                    .until(() -> "t".equals(standby.sql("SELECT pg_last_wal_replay_lsn() >= '" + lsn + "'")));
            assertEquals("standby", standby.role());
            assertEquals("1,2,3", standby.sql("SELECT string_agg(id::text, ',' ORDER BY id) FROM acked"));
            assertEquals(
                    "2",
                    standby.sql("SELECT received_tli FROM pg_stat_wal_receiver"),
                    standby.name() + " streams the new timeline: no divergence left");
        }
    }

    private static void awaitStreaming(PgNode primary, String standby) {
        await(standby + " streaming from " + primary.name())
                .atMost(STREAMING)
                .until(() -> "streaming"
                        .equals(primary.sql(
                                "SELECT state FROM pg_stat_replication WHERE application_name = '" + standby + "'")));
    }

    /**
     * The fence: a fast stop gives the shutdown checkpoint; a fast stop that hangs (the checkpointer
     * stopped, so no shutdown checkpoint can be written) is escalated to an immediate stop and gives no
     * checkpoint; a node that was killed gives none either: only a clean shutdown is proof of what a
     * candidate must have replayed.
     */
    @Test
    void aHungFastStopIsEscalatedAndOnlyACleanShutdownGivesACheckpoint() throws Exception {
        PgNode primary = TestStack.get().newCluster("fence").get(0);
        NodeActions a = actions(primary);

        NodeActions.Stopped clean = a.fence(Duration.ofSeconds(20));
        assertEquals("fast", clean.mode());
        assertEquals("shut down", clean.clusterState());
        assertTrue(clean.clean(), clean.toString());

        a.start();
        long checkpointer = child(primary, "checkpointer");
        Cmd.of("kill", "-STOP", Long.toString(checkpointer)).run();
        try {
            NodeActions.Stopped escalated = a.fence(Duration.ofSeconds(2));
            assertEquals("immediate", escalated.mode(), escalated.toString());
            assertEquals("in production", escalated.clusterState());
            assertNull(escalated.shutdownCheckpoint(), "an unclean stop gives no checkpoint as proof");
            assertFalse(primary.isRunning());
        } finally {
            Cmd.of("kill", "-CONT", Long.toString(checkpointer)).tryRun();
        }

        a.start();
        primary.kill();
        await("the killed primary to be gone").atMost(STREAMING).until(() -> !primary.isRunning());
        NodeActions.Stopped crashed = a.fence(Duration.ofSeconds(20));
        assertEquals("already stopped", crashed.mode());
        assertNull(crashed.shutdownCheckpoint(), "a crashed node's last checkpoint is no proof: " + crashed);
    }

    /** The pid of the postmaster's child whose process title names {@code title}. */
    private static long child(PgNode node, String title) {
        ProcessHandle postmaster = node.pidValue().flatMap(ProcessHandle::of).orElseThrow();
        return postmaster
                .children()
                .filter(p -> {
                    try {
                        return new String(Files.readAllBytes(Path.of("/proc/" + p.pid() + "/cmdline"))).contains(title);
                    } catch (java.io.IOException e) {
                        return false;
                    }
                })
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + title + " under " + node.name()))
                .pid();
    }
}
