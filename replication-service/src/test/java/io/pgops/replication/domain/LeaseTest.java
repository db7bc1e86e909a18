package io.pgops.replication.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The primary's lease as its agent keeps it: counted from the request, voided by a wall-clock jump. */
class LeaseTest {
    static final Duration TTL = Duration.ofSeconds(3);
    static final Duration GUARD = Duration.ofMillis(600);
    static final long MS = 1_000_000L;
    static final long T0 = 1_000_000 * MS; // an arbitrary monotonic reading

    static Lease lease() {
        return new Lease(Duration.ofSeconds(1));
    }

    @Test
    void noLeaseBeforeTheFirstGrant() {
        Lease l = lease();
        assertEquals(Lease.State.NONE, l.look(T0, GUARD).state());
        assertFalse(l.look(T0, GUARD).routable());
    }

    @Test
    void aGrantLastsTheTtlFromWhenTheRequestWasSentNotFromWhenItArrived() {
        Lease l = lease();
        l.grant(T0, TTL, "c1"); // request sent at T0, answer read 2 s later
        assertEquals(Lease.State.HELD, l.look(T0 + 2000 * MS, GUARD).state());
        assertEquals(1000, l.look(T0 + 2000 * MS, GUARD).remainingMillis());
        assertEquals(Lease.State.EXPIRED, l.look(T0 + 3001 * MS, GUARD).state());
    }

    @Test
    void primaryIsNotRoutableWithinTheGuardBeforeTheEnd() {
        Lease l = lease();
        l.grant(T0, TTL, "c1");
        assertTrue(l.look(T0 + 2300 * MS, GUARD).routable());
        Lease.Look ending = l.look(T0 + 2500 * MS, GUARD);
        assertEquals(Lease.State.ENDING, ending.state());
        assertFalse(ending.routable());
    }

    @Test
    void anOlderGrantReadLateDoesNotShortenTheLease() {
        Lease l = lease();
        l.grant(T0 + 1000 * MS, TTL, "c1");
        l.grant(T0, TTL, "c1"); // the answer to an earlier request arrives after the newer one
        assertEquals(Lease.State.HELD, l.look(T0 + 3300 * MS, GUARD).state());
    }

    @Test
    void aWallClockJumpAheadOfTheMonotonicClockVoidsTheLease() {
        Lease l = lease();
        l.grant(T0, TTL, "c1");
        l.tick(T0, 50_000);
        l.tick(T0 + 100 * MS, 50_100); // both clocks moved alike
        assertEquals(Lease.State.HELD, l.look(T0 + 100 * MS, GUARD).state());
        l.tick(T0 + 200 * MS, 80_200); // the machine was suspended for 30 s: the monotonic clock stood still
        Lease.Look after = l.look(T0 + 200 * MS, GUARD);
        assertEquals(Lease.State.EXPIRED, after.state());
        assertTrue(after.reason().contains("wall clock jumped"), after.reason());
    }

    @Test
    void aNewGrantAfterAJumpHoldsAgain() {
        Lease l = lease();
        l.grant(T0, TTL, "c1");
        l.tick(T0, 50_000);
        l.tick(T0 + 100 * MS, 90_000);
        l.grant(T0 + 200 * MS, TTL, "failsafe");
        assertEquals(Lease.State.HELD, l.look(T0 + 300 * MS, GUARD).state());
    }

    @Test
    void aClearedLeaseIsNone() {
        Lease l = lease();
        l.grant(T0, TTL, "c1");
        l.clear();
        assertEquals(Lease.State.NONE, l.look(T0, GUARD).state());
    }
}
