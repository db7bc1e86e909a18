package io.pgops.replication.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.model.Lsn;
import io.pgops.events.model.Timeline;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RoutingCheckTest {
    private static final Instant AT = Instant.parse("2026-11-25T03:00:00Z");

    static NodeStatus primary(boolean readOnly) {
        return new NodeStatus(
                true, false, readOnly, null, Lsn.parse("0/5000000"), null, null, new Timeline(1), 150018, null, AT);
    }

    static NodeStatus standby(String receiver, String replay, String upstream) {
        return new NodeStatus(
                true,
                true,
                true,
                receiver,
                null,
                Lsn.parse(replay),
                upstream == null ? null : Lsn.parse(upstream),
                new Timeline(1),
                150018,
                null,
                AT);
    }

    @Test
    void theTargetPrimaryIsNotVouchedForUntilItsAgentHasReadTheTopologySinceItStarted() {
        io.pgops.events.model.NodeName self = io.pgops.events.model.NodeName.of("node1");
        RoutingCheck.Verdict starting = RoutingCheck.primary(primary(false), self, java.util.Optional.of(self), false);
        assertEquals(503, starting.status());
        assertTrue(starting.reason().contains("since it started"), starting.reason());
        assertEquals(
                200,
                RoutingCheck.primary(primary(false), self, java.util.Optional.of(self), true)
                        .status());
    }

    @Test
    void aWritablePrimaryTakesWrites() {
        assertEquals(200, RoutingCheck.primary(primary(false)).status());
    }

    @Test
    void aPrimaryFencedReadOnlyTakesNoWrites() {
        RoutingCheck.Verdict v = RoutingCheck.primary(primary(true));
        assertEquals(503, v.status());
        assertTrue(v.reason().contains("fenced"), v.reason());
    }

    @Test
    void aStandbyIsNeverThePrimary() {
        assertEquals(
                503,
                RoutingCheck.primary(standby("streaming", "0/5000000", null)).status());
    }

    @Test
    void aStoppedNodeIsNeitherPrimaryNorReplicaNorHealthy() {
        NodeStatus down = NodeStatus.down("Connection refused", AT);
        assertEquals(503, RoutingCheck.primary(down).status());
        assertEquals(503, RoutingCheck.replica(down, OptionalLong.empty()).status());
        assertEquals(503, RoutingCheck.health(down).status());
    }

    @Test
    void aStreamingStandbyServesReads() {
        assertEquals(
                200,
                RoutingCheck.replica(standby("streaming", "0/5000000", null), OptionalLong.empty())
                        .status());
    }

    @Test
    void aStandbyWhoseWalReceiverIsNotStreamingServesNoReads() {
        assertEquals(
                503,
                RoutingCheck.replica(standby(null, "0/5000000", null), OptionalLong.empty())
                        .status());
        assertEquals(
                503,
                RoutingCheck.replica(standby("waiting", "0/5000000", null), OptionalLong.empty())
                        .status());
    }

    @Test
    void refusesReadsFromAStandbyThirtyTwoMegabytesBehindWhenBoundIsSixteen() {
        NodeStatus lagging = standby("streaming", "0/3000000", "0/5000000");
        RoutingCheck.Verdict v = RoutingCheck.replica(lagging, OptionalLong.of(ByteSize.parse("16MB")));
        assertEquals(503, v.status());
        assertTrue(v.reason().contains("33554432"), v.reason());
    }

    @Test
    void acceptsReadsFromAStandbyWithinTheLagBound() {
        NodeStatus close = standby("streaming", "0/4FFF000", "0/5000000");
        assertEquals(
                200,
                RoutingCheck.replica(close, OptionalLong.of(ByteSize.parse("16MB")))
                        .status());
    }

    @Test
    void aLagBoundCannotBeCheckedWithoutThePrimaryPositionSoTheStandbyIsRefused() {
        assertEquals(
                503,
                RoutingCheck.replica(standby("streaming", "0/5000000", null), OptionalLong.of(1))
                        .status());
    }

    @Test
    void readOnlyAcceptsBothAPrimaryAndAStreamingStandby() {
        assertEquals(200, RoutingCheck.readOnly(primary(false)).status());
        assertEquals(
                200,
                RoutingCheck.readOnly(standby("streaming", "0/5000000", null)).status());
    }

    @Test
    void aWritableNodeThatTheTopologyReplacedGetsNoWrites() {
        RoutingCheck.Verdict v = RoutingCheck.primary(
                primary(false),
                io.pgops.events.model.NodeName.of("node1"),
                java.util.Optional.of(io.pgops.events.model.NodeName.of("node2")));
        assertEquals(503, v.status());
        assertTrue(v.reason().contains("node2"), v.reason());
    }

    @Test
    void aWritableNodeWithoutACommittedTopologyGetsNoWrites() {
        assertEquals(
                503,
                RoutingCheck.primary(
                                primary(false), io.pgops.events.model.NodeName.of("node1"), java.util.Optional.empty())
                        .status());
    }

    @Test
    void theWritableTargetPrimaryGetsWrites() {
        io.pgops.events.model.NodeName n1 = io.pgops.events.model.NodeName.of("node1");
        assertEquals(
                200,
                RoutingCheck.primary(primary(false), n1, java.util.Optional.of(n1))
                        .status());
    }

    @Test
    void theTargetThatIsStillAStandbyGetsNoWrites() {
        io.pgops.events.model.NodeName n1 = io.pgops.events.model.NodeName.of("node1");
        assertEquals(
                503,
                RoutingCheck.primary(standby("streaming", "0/5000000", null), n1, java.util.Optional.of(n1))
                        .status());
    }
}
