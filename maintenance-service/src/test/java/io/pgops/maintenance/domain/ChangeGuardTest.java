package io.pgops.maintenance.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Role;
import io.pgops.events.model.Term;
import io.pgops.events.model.Timeline;
import io.pgops.events.replication.Member;
import io.pgops.events.replication.TopologyChanged;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeGuardTest {
    static TopologyChanged topology(String target, String current) {
        List<Member> members = List.of(
                new Member(
                        NodeName.of("node1"),
                        Role.PRIMARY,
                        "127.0.0.1",
                        5432,
                        null,
                        false,
                        null,
                        null,
                        null,
                        List.of()),
                new Member(
                        NodeName.of("node2"),
                        Role.STANDBY,
                        "127.0.0.1",
                        5433,
                        null,
                        true,
                        null,
                        null,
                        null,
                        List.of()));
        return new TopologyChanged(
                ClusterId.of("c1"),
                new Term(7),
                NodeName.of(target),
                current == null ? null : NodeName.of(current),
                new Timeline(3),
                members,
                "test",
                Instant.parse("2026-12-06T02:00:00Z"),
                false,
                null,
                null);
    }

    @Test
    void aSwitchoverUnderWayMakesMaintenanceWaitAndSaysWho() {
        assertEquals(
                "a leadership change is in progress on c1 (term 7: target primary node2, current node1); maintenance"
                        + " waits until it is done",
                ChangeGuard.waitReason(topology("node2", "node1")).orElseThrow());
    }

    @Test
    void aFailoverWithNoPrimaryYetMakesMaintenanceWait() {
        assertTrue(ChangeGuard.waitReason(topology("node2", null)).isPresent());
    }

    @Test
    void settledRolesOrNoTopologyAtAllLetMaintenanceRun() {
        assertTrue(ChangeGuard.waitReason(topology("node1", "node1")).isEmpty());
        assertTrue(ChangeGuard.waitReason(null).isEmpty());
    }
}
