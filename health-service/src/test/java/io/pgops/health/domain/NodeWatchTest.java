package io.pgops.health.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.health.NodeReachable;
import io.pgops.events.health.NodeUnreachable;
import io.pgops.events.health.PrimaryUnreachable;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Role;
import io.pgops.events.model.Timeline;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NodeWatchTest {
    private static final Instant T0 = Instant.parse("2026-11-25T03:00:00Z");
    private Instant now = T0;

    private NodeWatch watch() {
        return new NodeWatch(ClusterId.of("prod"), NodeName.of("node3"), "10.0.0.3", 5432, new Debounce(3, 2));
    }

    private ProbeOutcome up(Role role) {
        now = now.plusSeconds(5);
        return ProbeOutcome.up(role, new Timeline(1), Lsn.parse("0/3000060"), now);
    }

    private ProbeOutcome down() {
        now = now.plusSeconds(5);
        return ProbeOutcome.down("Connection refused", now);
    }

    @Test
    void twoFailedProbesInARowRaiseNothing() {
        NodeWatch w = watch();
        w.observe(up(Role.STANDBY));
        assertTrue(w.observe(down()).events().isEmpty());
        assertTrue(w.observe(down()).events().isEmpty());
    }

    @Test
    void thirdFailedProbeDeclaresTheNodeUnreachableWithItsEvidence() {
        NodeWatch w = watch();
        w.observe(up(Role.STANDBY));
        w.observe(down());
        w.observe(down());
        NodeWatch.Decision d = w.observe(down());
        assertEquals(1, d.events().size());
        NodeUnreachable e = assertInstanceOf(NodeUnreachable.class, d.events().getFirst());
        assertEquals(3, e.consecutiveFailures());
        assertEquals("Connection refused", e.error());
        assertEquals(T0.plusSeconds(5), e.lastSeenAt());
        assertNotNull(d.correlationId());
    }

    @Test
    void aLongOutageIsOneEventNotOnePerProbe() {
        NodeWatch w = watch();
        w.observe(up(Role.STANDBY));
        int events = 0;
        for (int i = 0; i < 20; i++) {
            events += w.observe(down()).events().size();
        }
        assertEquals(1, events);
    }

    @Test
    void anUnreachablePrimaryAlsoRaisesPrimaryUnreachableWithItsLastLsn() {
        NodeWatch w = watch();
        w.observe(up(Role.PRIMARY));
        w.observe(down());
        w.observe(down());
        NodeWatch.Decision d = w.observe(down());
        assertEquals(2, d.events().size());
        PrimaryUnreachable p =
                assertInstanceOf(PrimaryUnreachable.class, d.events().get(1));
        assertEquals(Lsn.parse("0/3000060"), p.lastKnownLsn());
    }

    @Test
    void oneFailureBetweenPassesResetsTheCount() {
        NodeWatch w = watch();
        w.observe(up(Role.STANDBY));
        w.observe(down());
        w.observe(down());
        w.observe(up(Role.STANDBY));
        assertTrue(w.observe(down()).events().isEmpty());
        assertTrue(w.observe(down()).events().isEmpty());
    }

    @Test
    void recoveryNeedsTwoPassesAndCarriesTheOutagesCorrelationIdAndDowntime() {
        NodeWatch w = watch();
        w.observe(up(Role.STANDBY));
        w.observe(down());
        w.observe(down());
        String incident = w.observe(down()).correlationId();
        Instant downSince = now;
        assertTrue(w.observe(up(Role.STANDBY)).events().isEmpty(), "one pass is not yet a recovery");
        NodeWatch.Decision d = w.observe(up(Role.STANDBY));
        NodeReachable r = assertInstanceOf(NodeReachable.class, d.events().getFirst());
        assertEquals(incident, d.correlationId());
        assertEquals(now.toEpochMilli() - downSince.toEpochMilli(), r.downtimeMillis());
    }

    @Test
    void aNodeThatWasNeverSeenUpIsStillDeclaredUnreachable() {
        NodeWatch w = watch();
        w.observe(down());
        w.observe(down());
        NodeWatch.Decision d = w.observe(down());
        NodeUnreachable e = assertInstanceOf(NodeUnreachable.class, d.events().getFirst());
        assertEquals(null, e.lastSeenAt());
    }
}
