package io.pgops.replication.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Role;
import io.pgops.events.model.Term;
import io.pgops.events.model.Timeline;
import io.pgops.events.replication.Member;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReconcileTest {
    static final NodeName N1 = NodeName.of("node1");
    static final NodeName N2 = NodeName.of("node2");
    static final NodeName N3 = NodeName.of("node3");
    static final List<NodeSpec> SPECS = List.of(
            new NodeSpec(N1, "127.0.0.1", 5001, false, 1, false),
            new NodeSpec(N2, "127.0.0.1", 5002, false, 1, false),
            new NodeSpec(N3, "127.0.0.1", 5003, false, 1, false));

    static AgentReport primary(NodeName n, String syncNames, List<String> slots, AgentReport.Replica... replicas) {
        return new AgentReport(
                n,
                true,
                false,
                false,
                Timeline.of(1),
                Lsn.parse("0/5000000"),
                null,
                null,
                null,
                null,
                syncNames,
                List.of(replicas),
                slots,
                Term.of(1),
                null,
                true);
    }

    static AgentReport standby(NodeName n, Integer upstreamPort) {
        return standbyAt(n, upstreamPort, Lsn.parse("0/5000000"));
    }

    static AgentReport standbyAt(NodeName n, Integer upstreamPort, Lsn received) {
        return new AgentReport(
                n,
                true,
                true,
                false,
                Timeline.of(1),
                null,
                received,
                Lsn.parse("0/4000000"),
                "streaming",
                upstreamPort,
                "",
                List.of(),
                List.of(),
                Term.of(1),
                null,
                true);
    }

    static AgentReport down(NodeName n, Boolean postmaster) {
        return AgentReport.notAnswering(n, Term.of(1), "connection refused", postmaster);
    }

    static AgentReport.Replica streaming(NodeName n, String sync) {
        return new AgentReport.Replica(n.value(), "streaming", sync, Lsn.parse("0/5000000"), Lsn.parse("0/4000000"));
    }

    static ClusterState state(AgentReport... reports) {
        Map<NodeName, AgentReport> m = new HashMap<>();
        for (AgentReport r : reports) {
            m.put(r.node(), r);
        }
        return new ClusterState(SPECS, m);
    }

    static final List<String> SLOTS = List.of("node2", "node3");

    @Test
    void aHealthyClusterNeedsNothing() {
        ClusterState s = state(
                primary(N1, "FIRST 1 (\"node2\")", SLOTS, streaming(N2, "sync"), streaming(N3, "async")),
                standby(N2, 5001),
                standby(N3, 5001));
        assertEquals(List.of(), Reconcile.plan(s, N1));
    }

    @Test
    void aStandbyStreamingFromElsewhereIsRepointedAtThePrimary() {
        ClusterState s = state(
                primary(N1, "FIRST 1 (\"node2\")", SLOTS, streaming(N2, "sync")), standby(N2, 5001), standby(N3, 5002));
        List<Reconcile.Step> steps = Reconcile.plan(s, N1);
        assertEquals(
                List.of(N3),
                steps.stream()
                        .filter(x -> x instanceof Reconcile.Follow)
                        .map(Reconcile.Step::node)
                        .toList());
    }

    @Test
    void aSecondWritableNodeIsFencedAndRejoined() {
        ClusterState s = state(
                primary(N2, "FIRST 1 (\"node3\")", List.of("node1", "node3"), streaming(N3, "sync")),
                primary(N1, "", List.of()),
                standby(N3, 5002));
        List<Reconcile.Step> steps = Reconcile.plan(s, N2);
        assertTrue(
                steps.contains(new Reconcile.Rejoin(N1, "node1 accepts writes beside the primary node2")),
                steps.toString());
    }

    @Test
    void aStoppedStandbyRejoinsButOneThatIsAliveAndSilentIsLeftAlone() {
        ClusterState stopped = state(
                primary(N1, "FIRST 1 (\"node2\")", SLOTS, streaming(N2, "sync")), standby(N2, 5001), down(N3, false));
        assertTrue(Reconcile.plan(stopped, N1).stream()
                .anyMatch(x -> x instanceof Reconcile.Rejoin r && r.node().equals(N3)));
        ClusterState silent = state(
                primary(N1, "FIRST 1 (\"node2\")", SLOTS, streaming(N2, "sync")), standby(N2, 5001), down(N3, true));
        assertTrue(Reconcile.plan(silent, N1).stream().noneMatch(x -> x.node().equals(N3)));
        ClusterState unknown = state(
                primary(N1, "FIRST 1 (\"node2\")", SLOTS, streaming(N2, "sync")), standby(N2, 5001), down(N3, null));
        assertTrue(Reconcile.plan(unknown, N1).stream().noneMatch(x -> x.node().equals(N3)));
    }

    @Test
    void aPrimaryWithoutASlotForEveryStandbyGetsThem() {
        ClusterState s = state(
                primary(N1, "", List.of("node2"), streaming(N2, "async"), streaming(N3, "async")),
                standby(N2, 5001),
                standby(N3, 5001));
        Reconcile.Configure c = (Reconcile.Configure) Reconcile.plan(s, N1).getFirst();
        assertEquals(null, c.synchronousStandbyNames());
        assertEquals(List.of("node3"), c.createSlots());
    }

    @Test
    void aStandbyThatOnlyLostItsConnectionIsNeverRewoundButOneThatDivergedIs() {
        AgentReport p = primary(N1, "FIRST 1 (\"node2\")", SLOTS, streaming(N2, "sync"));
        AgentReport disconnected = notStreaming(N3, Timeline.of(1), Lsn.parse("0/4000000"));
        AgentReport otherTimeline = notStreaming(N3, Timeline.of(2), Lsn.parse("0/4000000"));
        AgentReport ahead = notStreaming(N3, Timeline.of(1), Lsn.parse("0/6000000"));
        Set<NodeName> longAway = Set.of(N3);
        assertEquals(List.of(), Reconcile.plan(state(p, standby(N2, 5001), disconnected), N1, longAway));
        assertTrue(Reconcile.plan(state(p, standby(N2, 5001), otherTimeline), N1, longAway).stream()
                .anyMatch(x -> x instanceof Reconcile.Rejoin r && r.node().equals(N3)));
        assertTrue(Reconcile.plan(state(p, standby(N2, 5001), ahead), N1, longAway).stream()
                .anyMatch(x -> x instanceof Reconcile.Rejoin r && r.node().equals(N3)));
    }

    @Test
    void aStandbyThatFetchedTheNewTimelinesHistoryButReplayedPastItsForkIsRewoundWhateverThePrimaryWroteSince() {
        // seen after a forced promotion: the standby reports the new timeline (its history file arrived) while
        // its replay stayed on the old one past the fork; the new primary has written far beyond since
        AgentReport p = new AgentReport(
                N1,
                true,
                false,
                false,
                Timeline.of(3),
                Lsn.parse("0/9000000"),
                null,
                null,
                null,
                null,
                "",
                List.of(),
                SLOTS,
                Term.of(2),
                null,
                true,
                Timeline.of(3));
        AgentReport stuck = new AgentReport(
                N3,
                true,
                true,
                false,
                Timeline.of(3),
                null,
                Lsn.parse("0/402D600"),
                Lsn.parse("0/4553830"),
                "waiting",
                5001,
                "",
                List.of(),
                List.of(),
                Term.of(2),
                null,
                true,
                Timeline.of(2));
        assertEquals(
                List.of(new Reconcile.Rejoin(
                        N3,
                        "node3 has not streamed from node1 for long and has replayed on timeline 2 only, the primary"
                                + " is on 3; it rejoins (rewind)")),
                Reconcile.plan(state(p, standby(N2, 5001), stuck), N1, Set.of(N3)).stream()
                        .filter(x -> x instanceof Reconcile.Rejoin)
                        .toList());
    }

    /** A standby pointed at node1 whose WAL receiver does not stream. */
    static AgentReport notStreaming(NodeName n, Timeline tl, Lsn received) {
        return new AgentReport(
                n,
                true,
                true,
                false,
                tl,
                null,
                received,
                received,
                "waiting",
                5001,
                "",
                List.of(),
                List.of(),
                Term.of(1),
                null,
                true);
    }

    @Test
    void aStoppedTargetPrimaryIsStartedAndATargetStillInRecoveryIsLeftToTheChangeInProgress() {
        assertEquals(
                List.of(new Reconcile.Start(N1, "node1 is the primary by the topology but is not running")),
                Reconcile.plan(state(down(N1, false), standby(N2, 5001), standby(N3, 5001)), N1));
        assertEquals(List.of(), Reconcile.plan(state(down(N1, true), standby(N2, 5001)), N1));
        assertEquals(List.of(), Reconcile.plan(state(standby(N1, 5002), standby(N2, 5001)), N1));
    }

    @Test
    void aNewPrimaryStartsWithARunningStandbyOtherThanTheOldPrimaryAsItsSyncStandby() {
        ClusterState s = state(primary(N1, "FIRST 1 (\"node2\")", SLOTS), standby(N2, 5001), standby(N3, 5002));
        assertEquals(
                "FIRST 1 (\"node3\")", Reconcile.syncForNewPrimary(s, N2, N1, 1).value());
        ClusterState alone = state(primary(N1, "", SLOTS), standby(N2, 5001), down(N3, false));
        assertEquals("", Reconcile.syncForNewPrimary(alone, N2, N1, 1).value());
    }

    @Test
    void membersShowRolesLagAndTheSyncStandby() {
        ClusterState s = state(
                primary(N1, "FIRST 1 (\"node2\")", SLOTS, streaming(N2, "sync")), standby(N2, 5001), down(N3, false));
        List<Member> m = s.members(N1, Set.of());
        assertEquals(Role.PRIMARY, m.get(0).role());
        Member n2 = m.stream().filter(x -> x.name().equals(N2)).findFirst().orElseThrow();
        assertTrue(n2.sync());
        assertEquals(0x1000000L, n2.lagBytes());
        Member n3 = m.stream().filter(x -> x.name().equals(N3)).findFirst().orElseThrow();
        assertEquals("stopped", n3.state());
        assertEquals(Role.UNREACHABLE, n3.role());
    }

    @Test
    void aNodeThatDidNotReportKeepsItsAgentsErrorAndADownNodeItsPostgresError() {
        ClusterState st = new ClusterState(
                SPECS,
                Map.of(N1, primary(N1, "node2", List.of()), N3, down(N3, true)),
                Map.of(N2, "HTTP 500 {\"title\":\"status failed\"}"));
        assertEquals(
                java.util.Optional.of("its agent did not report: HTTP 500 {\"title\":\"status failed\"}"),
                st.whyNotAnswering(N2));
        assertEquals(
                java.util.Optional.of("its PostgreSQL does not answer the agent: connection refused"),
                st.whyNotAnswering(N3));
        assertEquals(java.util.Optional.empty(), st.whyNotAnswering(N1));
    }

    @Test
    void aTargetLeftAStandbyByAFailedPromotionIsPromotedAgainWhileNoNodeTakesWrites() {
        ClusterState noPrimary = state(standby(N2, 5001), standby(N3, 5001), down(N1, false));
        assertTrue(Reconcile.promoteAgain(noPrimary, N2).orElseThrow().contains("promotion is tried again"));
        // still restarting: started first (plan), promoted at a later look
        assertEquals(java.util.Optional.empty(), Reconcile.promoteAgain(state(down(N2, false), standby(N3, 5001)), N2));
        // a writable node: nothing promoted beside it
        assertEquals(
                java.util.Optional.empty(),
                Reconcile.promoteAgain(state(standby(N2, 5001), primary(N1, "", SLOTS)), N2));
    }

    @Test
    void aStandbyThatDidNotDivergeButHasNotStreamedForThreeTimesThePatienceIsRebuilt() {
        AgentReport p = primary(N1, "FIRST 1 (\"node2\")", SLOTS, streaming(N2, "sync"));
        AgentReport disconnected = notStreaming(N3, Timeline.of(1), Lsn.parse("0/4000000"));
        ClusterState s = state(p, standby(N2, 5001), disconnected);
        assertEquals(List.of(), Reconcile.plan(s, N1, Set.of(N3), Set.of()));
        assertTrue(Reconcile.plan(s, N1, Set.of(N3), Set.of(N3)).stream()
                .anyMatch(x -> x instanceof Reconcile.Rebuild r
                        && r.node().equals(N3)
                        && r.reason().contains("three times the patience")));
    }
}
