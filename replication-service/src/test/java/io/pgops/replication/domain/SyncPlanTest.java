package io.pgops.replication.domain;

import static io.pgops.replication.domain.ReconcileTest.N1;
import static io.pgops.replication.domain.ReconcileTest.N2;
import static io.pgops.replication.domain.ReconcileTest.N3;
import static io.pgops.replication.domain.ReconcileTest.SLOTS;
import static io.pgops.replication.domain.ReconcileTest.SPECS;
import static io.pgops.replication.domain.ReconcileTest.primary;
import static io.pgops.replication.domain.ReconcileTest.streaming;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The synchronous standbys change recorded first, a new one added before the old one is removed. */
class SyncPlanTest {
    static final List<NodeSpec> STANDBYS = SPECS.subList(1, 3);
    static final String ONLY_N2 = "FIRST 1 (\"node2\")";
    static final String ONLY_N3 = "FIRST 1 (\"node3\")";

    static Optional<SyncPlan.Step> next(
            List<NodeName> recorded, AgentReport p, Set<NodeName> awayLong, SyncPlan.Mode mode, Lsn switchLsn) {
        return SyncPlan.next(recorded, p, STANDBYS, Set.of(), awayLong, 1, mode, switchLsn);
    }

    static AgentReport.Replica flushedTo(NodeName n, String lsn) {
        return new AgentReport.Replica(n.value(), "streaming", "async", Lsn.parse(lsn), Lsn.parse(lsn));
    }

    @Test
    void aPrimaryRestartedInPlaceKeepsItsSyncStandbyNamedWhileItReconnects() {
        AgentReport nobodyStreamsYet = primary(N1, ONLY_N2, SLOTS);
        assertEquals(Optional.empty(), next(List.of(N2), nobodyStreamsYet, Set.of(), SyncPlan.Mode.DEGRADABLE, null));
        // a setting lost with the restart is put back, the record unchanged; never the empty setting
        SyncPlan.Step s = next(List.of(N2), primary(N1, "", SLOTS), Set.of(), SyncPlan.Mode.DEGRADABLE, null)
                .orElseThrow();
        assertEquals(List.of(N2), s.record());
        assertEquals(ONLY_N2, s.apply());
    }

    @Test
    void inStrictModeAnAwaySyncStandbyThatNothingCanReplaceStaysNamedAndCommitsWait() {
        assertEquals(
                Optional.empty(),
                next(List.of(N2), primary(N1, ONLY_N2, SLOTS), Set.of(N2), SyncPlan.Mode.STRICT, null));
    }

    @Test
    void inDegradableModeTheEmptySetIsRecordedBeforeItIsApplied() {
        SyncPlan.Step s = next(List.of(N2), primary(N1, ONLY_N2, SLOTS), Set.of(N2), SyncPlan.Mode.DEGRADABLE, null)
                .orElseThrow();
        assertEquals(List.of(), s.record());
        assertEquals("", s.apply());
        assertTrue(s.reason().contains("degraded"), s.reason());
    }

    @Test
    void aReplacementIsRecordedBesideTheOldOneAndTheOldIsDroppedOnlyOnceTheNewFlushedPastTheSwitch() {
        // node2 away for long, node3 streams: old ∪ new recorded, only node3 can acknowledge
        AgentReport p = primary(N1, ONLY_N2, SLOTS, flushedTo(N3, "0/5000000"));
        SyncPlan.Step add =
                next(List.of(N2), p, Set.of(N2), SyncPlan.Mode.STRICT, null).orElseThrow();
        assertEquals(List.of(N2, N3), add.record());
        assertEquals(ONLY_N3, add.apply());
        assertEquals(Lsn.parse("0/5000000"), add.switchLsn());
        // node3 has not flushed past the switch: both stay recorded
        AgentReport behind = primary(N1, ONLY_N3, SLOTS, flushedTo(N3, "0/4000000"));
        SyncPlan.Step wait = next(List.of(N2, N3), behind, Set.of(N2), SyncPlan.Mode.STRICT, add.switchLsn())
                .orElseThrow();
        assertEquals(List.of(N2, N3), wait.record());
        assertEquals(null, wait.apply());
        assertEquals(add.switchLsn(), wait.switchLsn());
        // past it: node2 dropped from the record, then from the setting
        AgentReport past = primary(N1, ONLY_N3, SLOTS, flushedTo(N3, "0/5000000"));
        SyncPlan.Step drop = next(List.of(N2, N3), past, Set.of(N2), SyncPlan.Mode.STRICT, add.switchLsn())
                .orElseThrow();
        assertEquals(List.of(N3), drop.record());
        assertEquals(ONLY_N3, drop.apply());
        assertEquals(Optional.empty(), next(List.of(N3), past, Set.of(), SyncPlan.Mode.STRICT, null));
    }

    @Test
    void aStreamingOldMemberTaggedNosyncKeepsAcknowledgingUntilTheNewOneCaughtUp() {
        List<NodeSpec> n2Nosync = List.of(new NodeSpec(N2, "127.0.0.1", 5002, false, 1, true), SPECS.get(2));
        AgentReport p = primary(N1, ONLY_N2, SLOTS, streaming(N2, "sync"), streaming(N3, "async"));
        SyncPlan.Step s = SyncPlan.next(List.of(N2), p, n2Nosync, Set.of(), Set.of(), 1, SyncPlan.Mode.STRICT, null)
                .orElseThrow();
        assertEquals(List.of(N2, N3), s.record());
        assertEquals("FIRST 2 (\"node2\", \"node3\")", s.apply());
    }

    @Test
    void aStandbyAboutToBeRebuiltHandsTheRoleToAnotherBeforeItGoes() {
        AgentReport p = primary(N1, ONLY_N2, SLOTS, streaming(N2, "sync"), streaming(N3, "async"));
        SyncPlan.Step s = SyncPlan.next(List.of(N2), p, STANDBYS, Set.of(N2), Set.of(), 1, SyncPlan.Mode.STRICT, null)
                .orElseThrow();
        assertEquals(List.of(N2, N3), s.record());
        assertTrue(s.apply().contains("node3"), s.apply());
    }

    @Test
    void aFreshClusterRecordsItsFirstSyncStandbyBeforeNamingIt() {
        AgentReport p = primary(N1, "", SLOTS, streaming(N2, "async"), streaming(N3, "async"));
        SyncPlan.Step s =
                next(List.of(), p, Set.of(), SyncPlan.Mode.STRICT, null).orElseThrow();
        assertEquals(List.of(N2), s.record());
        assertEquals(ONLY_N2, s.apply());
    }

    @Test
    void withSynchronousReplicationOffTheRecordedStandbyIsDroppedFromTheRecordBeforeTheSetting() {
        AgentReport p = primary(N1, ONLY_N2, SLOTS, streaming(N2, "sync"), streaming(N3, "async"));
        SyncPlan.Step s =
                next(List.of(N2), p, Set.of(), SyncPlan.Mode.OFF, null).orElseThrow();
        assertEquals(List.of(), s.record());
        assertEquals("", s.apply());
        assertEquals(
                Optional.empty(),
                next(List.of(), primary(N1, "", SLOTS, streaming(N2, "async")), Set.of(), SyncPlan.Mode.OFF, null));
    }

    @Test
    void anInventoryWritesTheModeAsOffOnOrStrict() {
        assertEquals(SyncPlan.Mode.OFF, SyncPlan.Mode.parse("off"));
        assertEquals(SyncPlan.Mode.DEGRADABLE, SyncPlan.Mode.parse("on"));
        assertEquals(SyncPlan.Mode.STRICT, SyncPlan.Mode.parse(" Strict "));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> SyncPlan.Mode.parse("sometimes"));
        assertTrue(e.getMessage().contains("off, on, strict"), e.getMessage());
    }
}
