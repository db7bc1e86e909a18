package io.pgops.replication.domain;

import static io.pgops.replication.domain.CommandRulesTest.topology;
import static io.pgops.replication.domain.ReconcileTest.N1;
import static io.pgops.replication.domain.ReconcileTest.N2;
import static io.pgops.replication.domain.ReconcileTest.N3;
import static io.pgops.replication.domain.ReconcileTest.SPECS;
import static io.pgops.replication.domain.ReconcileTest.down;
import static io.pgops.replication.domain.ReconcileTest.standby;
import static io.pgops.replication.domain.ReconcileTest.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.model.Lsn;
import io.pgops.events.replication.TopologyChanged;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whether a lost primary is failed over by the coordinator itself, and to whom, over a table of clusters. */
class AutomaticFailoverTest {
    static final Duration COOLDOWN = Duration.ofSeconds(30);
    static final String LOST = "its agent and the direct probe failed twice";

    /** node1 lost; node2 (recorded sync) and node3 (async) standbys that answer. */
    static ClusterState primaryGone() {
        return state(down(N1, null), standby(N2, 5001), standby(N3, 5001));
    }

    static AutomaticFailover.Decision decide(
            TopologyChanged t,
            ClusterState st,
            SyncPlan.Mode mode,
            List<io.pgops.events.model.NodeName> sync,
            Duration since) {
        return AutomaticFailover.decide(
                CommandRulesTest.live(t, SPECS, st), mode, sync, since, COOLDOWN, 1_048_576, LOST);
    }

    @Test
    void inStrictModeTheRecordedSyncStandbyIsPromoted() {
        AutomaticFailover.Promote p = assertInstanceOf(
                AutomaticFailover.Promote.class,
                decide(topology(false, null), primaryGone(), SyncPlan.Mode.STRICT, List.of(N2), null));
        assertEquals(N2, p.candidate());
    }

    @Test
    void anAsyncStandbyIsNeverPromotedInStrictModeWhenTheSyncOneIsGoneToo() {
        ClusterState syncGone = state(down(N1, null), down(N2, null), standby(N3, 5001));
        AutomaticFailover.Hold h = assertInstanceOf(
                AutomaticFailover.Hold.class,
                decide(topology(false, null), syncGone, SyncPlan.Mode.STRICT, List.of(N2), null));
        assertEquals(Refusal.NO_ELIGIBLE_CANDIDATE, h.code());
    }

    @Test
    void aPausedClusterIsNotFailedOver() {
        AutomaticFailover.Hold h = assertInstanceOf(
                AutomaticFailover.Hold.class,
                decide(topology(true, null), primaryGone(), SyncPlan.Mode.STRICT, List.of(N2), null));
        assertEquals(Refusal.PAUSED, h.code());
    }

    @Test
    void noFailoverWithinTheCooldownAfterTheLastChange() {
        AutomaticFailover.Hold h = assertInstanceOf(
                AutomaticFailover.Hold.class,
                decide(topology(false, null), primaryGone(), SyncPlan.Mode.STRICT, List.of(N2), Duration.ofSeconds(5)));
        assertEquals(Refusal.COOLDOWN, h.code());
        assertInstanceOf(
                AutomaticFailover.Promote.class,
                decide(
                        topology(false, null),
                        primaryGone(),
                        SyncPlan.Mode.STRICT,
                        List.of(N2),
                        Duration.ofSeconds(31)));
    }

    @Test
    void asyncModePromotesTheStandbyWithTheMostWalReceived() {
        ClusterState st = state(
                down(N1, null),
                ReconcileTest.standbyAt(N2, 5001, Lsn.parse("0/5000000")),
                ReconcileTest.standbyAt(N3, 5001, Lsn.parse("0/5080000")));
        AutomaticFailover.Promote p = assertInstanceOf(
                AutomaticFailover.Promote.class, decide(topology(false, null), st, SyncPlan.Mode.OFF, List.of(), null));
        assertEquals(N3, p.candidate());
    }

    @Test
    void refusesBecauseTheOnlyCandidateLags2MiB() {
        ClusterState st =
                state(down(N1, null), down(N2, null), ReconcileTest.standbyAt(N3, 5001, Lsn.parse("0/4E00000")));
        AutomaticFailover.Hold h = assertInstanceOf(
                AutomaticFailover.Hold.class, decide(topology(false, null), st, SyncPlan.Mode.OFF, List.of(), null));
        assertEquals(Refusal.NO_ELIGIBLE_CANDIDATE, h.code());
        assertTrue(h.reason().contains("lags 2097152 bytes"), h.reason());
    }

    @Test
    void aStandbyWithin1MiBOfTheMostAnyStandbyReceivedIsStillEligible() {
        // the old primary's last known position is older than what node2 received: measured against node2
        ClusterState st = state(
                down(N1, null),
                ReconcileTest.standbyAt(N2, 5001, Lsn.parse("0/5200000")),
                ReconcileTest.standbyAt(N3, 5001, Lsn.parse("0/5100000")));
        AutomaticFailover.Promote p = assertInstanceOf(
                AutomaticFailover.Promote.class, decide(topology(false, null), st, SyncPlan.Mode.OFF, List.of(), null));
        assertEquals(N2, p.candidate());
    }

    @Test
    void degradableModeFailsOverToTheBestStandby() {
        assertInstanceOf(
                AutomaticFailover.Promote.class,
                decide(topology(false, null), primaryGone(), SyncPlan.Mode.DEGRADABLE, List.of(N2), null));
    }

    @Test
    void strictModeWithoutARecordedSyncStandbyFallsBackToTheLagRule() {
        ClusterState st =
                state(down(N1, null), standby(N2, 5001), ReconcileTest.standbyAt(N3, 5001, Lsn.parse("0/4E00000")));
        AutomaticFailover.Promote p = assertInstanceOf(
                AutomaticFailover.Promote.class,
                decide(topology(false, null), st, SyncPlan.Mode.STRICT, List.of(), null));
        assertEquals(N2, p.candidate());
    }
}
