package io.pgops.replication.service;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pgops.pgtools.OsUser;
import io.pgops.pgtools.PgBinaries;
import io.pgops.replication.domain.RejoinOutcome;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.postgres.PgTopology;
import io.pgops.stack.testkit.TestStack;
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
    void killedPrimaryIsRewoundAndStreamsFromThePromotedSyncStandbyWithEveryAcknowledgedRow() {
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
}
