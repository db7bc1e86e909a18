package io.pgops.replication.domain;

import java.time.Duration;

/**
 * The primary's lease as its agent keeps it. Pure: the caller passes the clocks. Times are read from the
 * agent's monotonic clock ({@code System.nanoTime}); a grant lasts {@code ttl} from when the agent
 * <em>sent</em> the request it answers, never from when the answer arrived, so a late answer cannot make the
 * lease outlast what the coordinator meant.
 *
 * <p>A suspended virtual machine stops the monotonic clock but not the wall clock: a wall-clock jump forward
 * between two looks, beyond what the monotonic clock moved plus {@code jumpTolerance}, counts as expiry
 * (conservative: a large NTP step does the same).
 *
 * <p>Not thread-safe on its own: the agent calls it under one lock.
 */
public final class Lease {
    /** What a look at the lease finds. */
    public enum State {
        /** Never granted since the agent started (or since it stopped being the primary). */
        NONE,
        /** Held, with more than the guard left. */
        HELD,
        /** Held, but it ends within the guard: {@code /primary} answers 503 already. */
        ENDING,
        /** It ran out (or a wall-clock jump ended it). */
        EXPIRED
    }

    /**
     * @param state what the lease is now
     * @param remainingMillis how long it lasts still (0 once expired or never granted)
     * @param reason why, in words
     */
    public record Look(State state, long remainingMillis, String reason) {
        public boolean routable() {
            return state == State.HELD;
        }
    }

    private final Duration jumpTolerance;
    private boolean granted;
    private long expiresNanos;
    private String source = "";
    private boolean jumped;
    private long lastMonoNanos;
    private long lastWallMillis;
    private boolean ticked;

    public Lease(Duration jumpTolerance) {
        this.jumpTolerance = jumpTolerance;
    }

    /**
     * A grant (by the coordinator, or by the failsafe: every other agent confirmed) for a request sent at
     * {@code sentNanos}: the lease lasts until {@code sentNanos + ttl}, or longer if an earlier grant already
     * reaches further.
     */
    public void grant(long sentNanos, Duration ttl, String by) {
        long until = sentNanos + ttl.toNanos();
        if (!granted || jumped || until - expiresNanos > 0) {
            expiresNanos = until;
            source = by;
        }
        granted = true;
        jumped = false;
    }

    /** The node is no longer the primary (or stopped being one): the lease is gone. */
    public void clear() {
        granted = false;
        jumped = false;
        source = "";
    }

    /** Whether a lease was ever granted (and not cleared). */
    public boolean everGranted() {
        return granted;
    }

    /**
     * Records both clocks; a wall clock that moved further than the monotonic one (plus the tolerance) since the
     * previous look ends the lease.
     */
    public void tick(long monoNanos, long wallMillis) {
        if (ticked && granted) {
            long mono = (monoNanos - lastMonoNanos) / 1_000_000;
            long wall = wallMillis - lastWallMillis;
            if (wall - mono > jumpTolerance.toMillis()) {
                jumped = true;
            }
        }
        ticked = true;
        lastMonoNanos = monoNanos;
        lastWallMillis = wallMillis;
    }

    /** The lease at {@code nowNanos}, with {@code guard} kept in hand (the time HAProxy needs to notice). */
    public Look look(long nowNanos, Duration guard) {
        if (!granted) {
            return new Look(State.NONE, 0, "no lease has been granted to this node");
        }
        if (jumped) {
            return new Look(
                    State.EXPIRED,
                    0,
                    "the wall clock jumped ahead of the monotonic clock (a suspended machine?): the lease is void");
        }
        long left = expiresNanos - nowNanos;
        if (left <= 0) {
            return new Look(State.EXPIRED, 0, "the lease (" + source + ") ran out " + (-left / 1_000_000) + " ms ago");
        }
        long ms = left / 1_000_000;
        if (left <= guard.toNanos()) {
            return new Look(
                    State.ENDING,
                    ms,
                    "the lease (" + source + ") ends in " + ms + " ms, within the guard of " + guard.toMillis()
                            + " ms");
        }
        return new Look(State.HELD, ms, "lease held (" + source + "), " + ms + " ms left");
    }
}
