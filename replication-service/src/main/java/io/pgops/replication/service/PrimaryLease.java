package io.pgops.replication.service;

import io.pgops.replication.config.AgentConfig;
import io.pgops.replication.domain.Lease;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;

/**
 * The lease of the primary this agent sits beside (see {@link Lease}), shared by what grants it (the
 * coordinator's answers read by {@link LeaseKeeper}, the failsafe's confirmations, a start or promotion the
 * coordinator ordered), what reads it ({@code /primary}) and what enforces it (the keeper's watch).
 */
@ApplicationScoped
public class PrimaryLease {
    private final Duration ttl;
    private final Duration guard;
    private final Lease lease;

    @Inject
    public PrimaryLease(AgentConfig config) {
        this(config.lease().ttl(), config.lease().guard(), config.lease().jumpTolerance());
    }

    PrimaryLease(Duration ttl, Duration guard, Duration jumpTolerance) {
        this.ttl = ttl;
        this.guard = guard;
        this.lease = new Lease(jumpTolerance);
    }

    public Duration ttl() {
        return ttl;
    }

    public Duration guard() {
        return guard;
    }

    /** A grant for a request this agent sent at {@code sentNanos}. */
    public synchronized void grant(long sentNanos, String by) {
        lease.grant(sentNanos, ttl, by);
    }

    public synchronized void clear() {
        lease.clear();
    }

    /** The lease now (both clocks are read, so a wall-clock jump since the last look voids it). */
    public synchronized Lease.Look look() {
        long mono = System.nanoTime();
        lease.tick(mono, System.currentTimeMillis());
        return lease.look(mono, guard);
    }
}
