package io.pgops.replication.domain;

import static io.pgops.replication.domain.ReconcileTest.N1;
import static io.pgops.replication.domain.ReconcileTest.N2;
import static io.pgops.replication.domain.ReconcileTest.N3;
import static io.pgops.replication.domain.ReconcileTest.SLOTS;
import static io.pgops.replication.domain.ReconcileTest.SPECS;
import static io.pgops.replication.domain.ReconcileTest.primary;
import static io.pgops.replication.domain.ReconcileTest.standby;
import static io.pgops.replication.domain.ReconcileTest.state;
import static io.pgops.replication.domain.ReconcileTest.streaming;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.OperatorCommand;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Role;
import io.pgops.events.model.Term;
import io.pgops.events.model.Timeline;
import io.pgops.events.replication.Member;
import io.pgops.events.replication.PauseRequested;
import io.pgops.events.replication.PromoteRequested;
import io.pgops.events.replication.ReinitRequested;
import io.pgops.events.replication.ScheduledSwitchover;
import io.pgops.events.replication.SwitchoverCancellationRequested;
import io.pgops.events.replication.SwitchoverRequested;
import io.pgops.events.replication.TopologyChanged;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The one set of command rules: what the REST layer refuses before publishing (the committed topology
 * alone) and what the coordinator decides with the live reports, over a table of clusters.
 */
class CommandRulesTest {
    static final ClusterId C = ClusterId.of("c1");
    static final Instant NOW = Instant.parse("2026-12-06T04:00:00Z");
    static final CommandRules.Limits LIMITS = new CommandRules.Limits(64L << 20, 1L << 20);
    static final List<NodeSpec> WITH_NOFAILOVER_N3 =
            List.of(SPECS.get(0), SPECS.get(1), new NodeSpec(N3, "127.0.0.1", 5003, true, 1, false));

    /** node1 primary, node2 sync and node3 async standby, both streaming. */
    static ClusterState healthy() {
        return state(
                primary(N1, "FIRST 1 (\"node2\")", SLOTS, streaming(N2, "sync"), streaming(N3, "async")),
                standby(N2, 5001),
                standby(N3, 5001));
    }

    static TopologyChanged topology(boolean paused, ScheduledSwitchover scheduled) {
        List<Member> members = List.of(
                member(N1, Role.PRIMARY, false), member(N2, Role.STANDBY, true), member(N3, Role.STANDBY, false));
        return new TopologyChanged(
                C, Term.of(4), N1, N1, Timeline.of(1), members, "observed", NOW, paused, "coord-a", scheduled);
    }

    static Member member(NodeName n, Role role, boolean sync) {
        return new Member(
                n, role, "127.0.0.1", 5000, Lsn.parse("0/5000000"), sync, "streaming", Timeline.of(1), 0L, List.of());
    }

    static CommandRules.Snapshot committed(TopologyChanged t, List<NodeSpec> nodes) {
        return CommandRules.Snapshot.committed(t, nodes);
    }

    static CommandRules.Snapshot live(TopologyChanged t, List<NodeSpec> nodes, ClusterState st) {
        return new CommandRules.Snapshot(
                C, t.term(), t.targetPrimary(), t.isPaused(), t.scheduledSwitchover(), t, nodes, Optional.of(st));
    }

    static CommandRules.Verdict decide(CommandRules.Snapshot s, OperatorCommand cmd) {
        return CommandRules.decide(s, cmd, NOW, "cmd-1", NOW, LIMITS);
    }

    static SwitchoverRequested switchover(NodeName to, Instant at) {
        return new SwitchoverRequested(C, N1.equals(to) ? null : N1, to, at, "alice", "planned");
    }

    static PromoteRequested promote(NodeName node, Term term, boolean force) {
        return new PromoteRequested(C, node, force, "alice", "drill", term);
    }

    static Refusal code(CommandRules.Verdict v) {
        return assertInstanceOf(CommandRules.Refuse.class, v, v.toString()).code();
    }

    @Test
    void everyRuleTheCommittedTopologyDecidesGivesTheSameRefusalAtTheDoorAndInTheCoordinator() {
        ScheduledSwitchover held = new ScheduledSwitchover(NOW.plusSeconds(600), null, "bob", "night", "cmd-0");
        record Case(String name, TopologyChanged t, List<NodeSpec> nodes, OperatorCommand cmd, Refusal expected) {}
        List<Case> table = List.of(
                new Case("paused", topology(true, null), SPECS, switchover(N2, null), Refusal.PAUSED),
                new Case("to the primary", topology(false, null), SPECS, switchover(N1, null), Refusal.ALREADY_PRIMARY),
                new Case(
                        "to a nofailover node",
                        topology(false, null),
                        WITH_NOFAILOVER_N3,
                        switchover(N3, null),
                        Refusal.NOT_PROMOTABLE),
                new Case(
                        "to an unknown node",
                        topology(false, null),
                        SPECS,
                        switchover(NodeName.of("node9"), null),
                        Refusal.UNKNOWN_NODE),
                new Case(
                        "scheduled 31 days ahead",
                        topology(false, null),
                        SPECS,
                        switchover(null, NOW.plus(Duration.ofDays(31))),
                        Refusal.TOO_FAR_AHEAD),
                new Case(
                        "a second schedule",
                        topology(false, held),
                        SPECS,
                        switchover(null, NOW.plusSeconds(900)),
                        Refusal.ALREADY_SCHEDULED),
                new Case(
                        "promote against an older term",
                        topology(false, null),
                        SPECS,
                        promote(N2, Term.of(3), false),
                        Refusal.STALE_TERM),
                new Case(
                        "promote the primary",
                        topology(false, null),
                        SPECS,
                        promote(N1, Term.of(4), false),
                        Refusal.ALREADY_PRIMARY),
                new Case(
                        "force a nofailover node",
                        topology(false, null),
                        WITH_NOFAILOVER_N3,
                        promote(N3, Term.of(4), true),
                        Refusal.NOT_PROMOTABLE),
                new Case(
                        "rebuild the primary",
                        topology(false, null),
                        SPECS,
                        new ReinitRequested(C, N1, "alice", "x"),
                        Refusal.IS_PRIMARY),
                new Case(
                        "cancel with nothing scheduled",
                        topology(false, null),
                        SPECS,
                        new SwitchoverCancellationRequested(C, "alice", "x"),
                        Refusal.NOTHING_SCHEDULED));
        List<String> wrong = new ArrayList<>();
        for (Case c : table) {
            Refusal atTheDoor = code(decide(committed(c.t(), c.nodes()), c.cmd()));
            Refusal inTheCoordinator = code(decide(live(c.t(), c.nodes(), healthy()), c.cmd()));
            if (atTheDoor != c.expected() || inTheCoordinator != c.expected()) {
                wrong.add(c.name() + ": door " + atTheDoor + ", coordinator " + inTheCoordinator);
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void aSwitchoverTheCommittedFactsAllowIsAcceptedAtTheDoorAndBecomesAChangeToTheSyncStandby() {
        TopologyChanged t = topology(false, null);
        assertInstanceOf(CommandRules.Accept.class, decide(committed(t, SPECS), switchover(null, null)));
        CommandRules.Change ch =
                assertInstanceOf(CommandRules.Change.class, decide(live(t, SPECS, healthy()), switchover(null, null)));
        assertEquals(N2, ch.candidate());
        assertTrue(ch.oldAlive());
    }

    @Test
    void aSwitchoverWhosePrimaryDoesNotRunIsRefusedOnTheLiveReportsOnly() {
        TopologyChanged t = topology(false, null);
        ClusterState primaryDown = state(ReconcileTest.down(N1, false), standby(N2, 5001), standby(N3, 5001));
        assertInstanceOf(CommandRules.Accept.class, decide(committed(t, SPECS), switchover(N2, null)));
        assertEquals(Refusal.PRIMARY_NOT_RUNNING, code(decide(live(t, SPECS, primaryDown), switchover(N2, null))));
    }

    @Test
    void aSwitchoverLaterThanTheSlackIsHeldWithTheCommandsId() {
        CommandRules.Schedule s = assertInstanceOf(
                CommandRules.Schedule.class,
                decide(live(topology(false, null), SPECS, healthy()), switchover(N3, NOW.plusSeconds(600))));
        assertEquals("cmd-1", s.switchover().commandId());
        assertEquals(N3, s.switchover().to());
    }

    @Test
    void aCommandOlderThanFiveMinutesExpiresWhateverItAsks() {
        CommandRules.Verdict v = CommandRules.decide(
                live(topology(false, null), SPECS, healthy()),
                new PauseRequested(C, "alice", "x"),
                NOW.minus(Duration.ofMinutes(6)),
                "cmd-1",
                NOW,
                LIMITS);
        assertEquals(Refusal.EXPIRED, code(v));
    }

    @Test
    void promotingAnAsyncStandbyWhileThePrimaryRunsInSyncModeIsRefusedUnlessForced() {
        TopologyChanged t = topology(false, null);
        ClusterState lagging = state(
                primary(N1, "FIRST 1 (\"node2\")", SLOTS, streaming(N2, "sync"), streaming(N3, "async")),
                standby(N2, 5001),
                ReconcileTest.standbyAt(N3, 5001, Lsn.parse("0/1000000")));
        assertEquals(Refusal.CANDIDATE_NOT_SAFE, code(decide(live(t, SPECS, lagging), promote(N3, Term.of(4), false))));
        CommandRules.Change forced = assertInstanceOf(
                CommandRules.Change.class, decide(live(t, SPECS, lagging), promote(N3, Term.of(4), true)));
        assertTrue(forced.force());
        assertTrue(forced.sentence().contains("forced by alice"), forced.sentence());
    }

    @Test
    void rebuildingTheSyncStandbyReleasesItFirstAndAnAsyncOneDoesNot() {
        TopologyChanged t = topology(false, null);
        CommandRules.Rebuild sync = assertInstanceOf(
                CommandRules.Rebuild.class,
                decide(live(t, SPECS, healthy()), new ReinitRequested(C, N2, "alice", "x")));
        CommandRules.Rebuild async = assertInstanceOf(
                CommandRules.Rebuild.class,
                decide(live(t, SPECS, healthy()), new ReinitRequested(C, N3, "alice", "x")));
        assertTrue(sync.releaseSync());
        assertEquals(false, async.releaseSync());
    }

    @Test
    void everyRefusalHasItsOwnWireCode() {
        assertEquals(
                Refusal.values().length,
                java.util.Arrays.stream(Refusal.values())
                        .map(Refusal::code)
                        .distinct()
                        .count());
    }
}
