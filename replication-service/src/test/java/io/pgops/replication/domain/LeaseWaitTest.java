package io.pgops.replication.domain;

import static io.pgops.replication.domain.ReconcileTest.N2;
import static io.pgops.replication.domain.ReconcileTest.N3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whether a failover waits for the old primary's lease before it promotes. */
class LeaseWaitTest {
    static final Duration TTL = Duration.ofSeconds(3);
    static final Duration MARGIN = Duration.ofMillis(500);

    static LeaseWait.Decision decide(
            String stopped, SyncPlan.Mode mode, List<io.pgops.events.model.NodeName> sync, long sinceGrantMillis) {
        return LeaseWait.decide(stopped, mode, sync, N2, Duration.ofMillis(sinceGrantMillis), TTL, MARGIN);
    }

    @Test
    void waitsOutTheOldPrimarysLeaseInAsyncMode() {
        LeaseWait.Decision d = decide(null, SyncPlan.Mode.OFF, List.of(), 1000);
        assertEquals(Duration.ofMillis(2500), d.remaining());
        assertTrue(d.reason().contains("waiting 2500 ms"), d.reason());
    }

    @Test
    void noWaitOnceTheLeaseHasRunOut() {
        assertEquals(
                Duration.ZERO, decide(null, SyncPlan.Mode.OFF, List.of(), 3600).remaining());
    }

    @Test
    void noWaitInStrictModeForTheRecordedSynchronousStandby() {
        LeaseWait.Decision d = decide(null, SyncPlan.Mode.STRICT, List.of(N2), 0);
        assertEquals(Duration.ZERO, d.remaining());
        assertTrue(d.reason().contains("strict synchronous mode"), d.reason());
    }

    @Test
    void strictModeWaitsForACandidateThatIsNotTheRecordedSynchronousStandby() {
        assertEquals(
                Duration.ofMillis(3500),
                decide(null, SyncPlan.Mode.STRICT, List.of(N3), 0).remaining());
    }

    @Test
    void degradableModeWaitsEvenForTheRecordedSynchronousStandby() {
        assertEquals(
                Duration.ofMillis(3500),
                decide(null, SyncPlan.Mode.DEGRADABLE, List.of(N2), 0).remaining());
    }

    @Test
    void noWaitWhenTheOldPrimaryIsKnownToBeStopped() {
        assertEquals(
                Duration.ZERO,
                decide("its agent reports PostgreSQL down", SyncPlan.Mode.OFF, List.of(), 0)
                        .remaining());
    }
}
