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
        return AutomaticFailover.decide(CommandRulesTest.live(t, SPECS, st), mode, sync, since, COOLDOWN, LOST);
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
    void degradableModeWaitsForTheLeaseThatIsNotBuiltYet() {
        AutomaticFailover.Hold h = assertInstanceOf(
                AutomaticFailover.Hold.class,
                decide(topology(false, null), primaryGone(), SyncPlan.Mode.DEGRADABLE, List.of(N2), null));
        assertEquals(Refusal.NEEDS_LEASE, h.code());
    }

    @Test
    void aClusterWithSynchronousReplicationOffWaitsForTheLeaseToo() {
        AutomaticFailover.Hold h = assertInstanceOf(
                AutomaticFailover.Hold.class,
                decide(topology(false, null), primaryGone(), SyncPlan.Mode.OFF, List.of(), null));
        assertEquals(Refusal.NEEDS_LEASE, h.code());
    }

    @Test
    void aClusterThatRecordsNoSyncStandbyWaitsForTheLeaseToo() {
        AutomaticFailover.Hold h = assertInstanceOf(
                AutomaticFailover.Hold.class,
                decide(topology(false, null), primaryGone(), SyncPlan.Mode.STRICT, List.of(), null));
        assertEquals(Refusal.NEEDS_LEASE, h.code());
    }
}
