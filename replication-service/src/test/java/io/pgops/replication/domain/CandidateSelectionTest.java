package io.pgops.replication.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Timeline;
import io.pgops.replication.domain.CandidateSelection.Decision;
import io.pgops.replication.domain.CandidateSelection.Decision.Action;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CandidateSelectionTest {
    static final Lsn PRIMARY_LSN = Lsn.parse("1/40000000");
    static final Timeline TL = new Timeline(3);
    static final FailoverPolicy SYNC = new FailoverPolicy(true, 1L << 20);
    static final FailoverPolicy ASYNC_1MB = new FailoverPolicy(false, 1L << 20);

    static MemberState standby(String name, String lsn, boolean wasSync) {
        return new MemberState(NodeName.of(name), true, Lsn.parse(lsn), TL, wasSync, false, 1);
    }

    static Decision auto(FailoverPolicy p, MemberState... s) {
        return CandidateSelection.choose(List.of(s), PRIMARY_LSN, TL, p, Optional.empty(), false);
    }

    static Decision promote(String node, boolean force, FailoverPolicy p, MemberState... s) {
        return CandidateSelection.choose(List.of(s), PRIMARY_LSN, TL, p, Optional.of(NodeName.of(node)), force);
    }

    @Test
    void promotesTheSyncStandbyEvenWhenTheAsyncOneReceivedMoreWal() {
        Decision d = auto(SYNC, standby("node2", "1/3FFFF000", true), standby("node3", "1/40000000", false));
        assertEquals(Action.PROMOTE, d.action());
        assertEquals(NodeName.of("node2"), d.candidate());
        assertTrue(d.reason().contains("node3 was not the synchronous standby"), d.reason());
    }

    @Test
    void refusesFailoverWhenTheSyncStandbyIsUnreachableRatherThanLoseAcknowledgedCommits() {
        MemberState sync = new MemberState(NodeName.of("node2"), false, Lsn.parse("1/40000000"), TL, true, false, 1);
        Decision d = auto(SYNC, sync, standby("node3", "1/40000000", false));
        assertEquals(Action.REFUSE, d.action());
        assertNull(d.candidate());
        assertTrue(d.reason().contains("node2 is unreachable"), d.reason());
        assertTrue(d.reason().contains("node3 was not the synchronous standby"), d.reason());
    }

    @Test
    void aStandbyPassedOverAsUnreachableIsNamedWithItsAgentsError() {
        MemberState sync = new MemberState(
                NodeName.of("node2"),
                false,
                Lsn.parse("1/40000000"),
                TL,
                true,
                false,
                1,
                "its agent did not report: HttpTimeoutException: request timed out");
        Decision d = auto(SYNC, sync, standby("node3", "1/40000000", false));
        assertEquals(Action.REFUSE, d.action());
        assertTrue(
                d.reason().contains("node2 is unreachable (its agent did not report: HttpTimeoutException"),
                d.reason());
    }

    @Test
    void refusesPromotionBecauseCandidateLagsOneGigabyte() {
        Decision d = auto(ASYNC_1MB, standby("node3", "1/00000000", false));
        assertEquals(Action.REFUSE, d.action());
        assertTrue(d.reason().contains("lags 1073741824 bytes"), d.reason());
    }

    @Test
    void inAsyncModeTheStandbyWithTheMostWalWinsThenPriorityThenName() {
        MemberState a = standby("node2", "1/3FFFFF00", false);
        MemberState b = standby("node3", "1/40000000", false);
        assertEquals(NodeName.of("node3"), auto(ASYNC_1MB, a, b).candidate());
        MemberState c = new MemberState(NodeName.of("node4"), true, Lsn.parse("1/40000000"), TL, false, false, 5);
        assertEquals(NodeName.of("node4"), auto(ASYNC_1MB, a, b, c).candidate());
    }

    @Test
    void neverPromotesANofailoverNodeOrPriorityZeroOrAnotherTimelineEvenWhenForced() {
        MemberState tagged = new MemberState(NodeName.of("node2"), true, PRIMARY_LSN, TL, true, true, 1);
        MemberState zero = new MemberState(NodeName.of("node3"), true, PRIMARY_LSN, TL, true, false, 0);
        MemberState forked = new MemberState(NodeName.of("node4"), true, PRIMARY_LSN, new Timeline(2), true, false, 1);
        assertEquals(Action.REFUSE, promote("node2", true, SYNC, tagged).action());
        assertEquals(Action.REFUSE, promote("node3", true, SYNC, zero).action());
        Decision d = promote("node4", true, SYNC, forked);
        assertEquals(Action.REFUSE, d.action());
        assertTrue(d.reason().contains("timeline 2"), d.reason());
    }

    @Test
    void anOperatorPromoteOfALaggingStandbyIsRefusedWithoutForceAndAcceptedWithIt() {
        MemberState lagging = standby("node3", "0/40000000", false);
        Decision refused = promote("node3", false, ASYNC_1MB, lagging);
        assertEquals(Action.REFUSE, refused.action());
        assertTrue(refused.reason().contains("use force"), refused.reason());
        Decision forced = promote("node3", true, ASYNC_1MB, lagging);
        assertEquals(Action.PROMOTE, forced.action());
        assertTrue(forced.reason().startsWith("forced by the operator although node3 lags"), forced.reason());
    }

    @Test
    void anOperatorPromoteOfAnUnknownNodeIsRefused() {
        Decision d = promote("node9", true, SYNC, standby("node2", "1/40000000", true));
        assertEquals(Action.REFUSE, d.action());
        assertTrue(d.reason().contains("node9 is not a standby"), d.reason());
    }

    @Test
    void aClusterWithoutStandbysHasNoOneToPromote() {
        assertEquals(
                "no standby is safe to promote: the cluster has no standby",
                auto(SYNC).reason());
    }
}
