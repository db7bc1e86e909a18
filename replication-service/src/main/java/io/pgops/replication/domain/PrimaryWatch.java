package io.pgops.replication.domain;

import java.time.Duration;

/**
 * Whether the primary is lost, from the owner's own looks. Lost only when its agent and a direct SQL
 * probe of PostgreSQL both fail on {@code confirmations} consecutive looks (one slow look is no failover;
 * an agent down beside a PostgreSQL that answers is no failover), or when its agent reports PostgreSQL
 * down for longer than {@code primaryStartTimeout} (meanwhile it is restarted in place, as Patroni's
 * {@code primary_start_timeout}), or when its agent answers but has not renewed the primary's lease for three
 * lease ttls while both it and Kafka answered the coordinator (the agent is cut off from Kafka: it stops
 * PostgreSQL at the end of its lease, and a restart in place could not hold, so none is made once a ttl has
 * passed without a renewal). Pure and stateful: one instance per owned cluster, fed each look.
 */
public final class PrimaryWatch {
    /**
     * What one look found of the target primary.
     *
     * @param leaseSilenceMillis how long the primary's agent has not renewed its lease while Kafka answered the
     *     coordinator all along (counted from the latest of the last renewal, the watch's start on this primary,
     *     and Kafka's return to the coordinator); -1 when not known (Kafka does not answer the coordinator now)
     */
    public record Look(
            boolean agentAnswered, boolean writable, boolean postgresDown, String probeError, long leaseSilenceMillis) {
        /** A look without the lease's silence (not known). */
        public Look(boolean agentAnswered, boolean writable, boolean postgresDown, String probeError) {
            this(agentAnswered, writable, postgresDown, probeError, -1);
        }

        /** The direct probe answered: PostgreSQL accepts connections and queries. */
        boolean probeAnswered() {
            return probeError == null;
        }
    }

    /** The watch's verdict on a look. */
    public enum State {
        /** Writable, or PostgreSQL answers the direct probe. */
        HEALTHY,
        /** One look failed; the next comes sooner, to confirm or clear. */
        SUSPECT,
        /** PostgreSQL is down beside a live agent: restarted in place until the start timeout. */
        RESTARTING,
        /** Lost: a failover is due. */
        LOST,
        /**
         * Lost, and its agent, though it answers, is cut off from Kafka: it can take no command (each waits for a
         * topology it cannot read), so the failover treats the old primary as unreachable and fenced by its lease.
         */
        CUT_OFF
    }

    /** The verdict and why. */
    public record Verdict(State state, String reason) {}

    /**
     * Lease ttls without a renewal after which an answering agent's primary is lost (its lease ended a ttl after
     * the last renewal; the rest is room for an agent that was restarted to read the topology and ask again).
     */
    static final int LOST_TTLS = 3;

    private final int confirmations;
    private final Duration primaryStartTimeout;
    /** The primary's lease ttl; zero: the lease's silence is not watched. */
    private final Duration leaseTtl;

    private int failedLooks;
    private long downSinceNanos = -1;

    public PrimaryWatch(int confirmations, Duration primaryStartTimeout) {
        this(confirmations, primaryStartTimeout, Duration.ZERO);
    }

    public PrimaryWatch(int confirmations, Duration primaryStartTimeout, Duration leaseTtl) {
        if (confirmations < 1) {
            throw new IllegalArgumentException("confirmations must be at least 1");
        }
        this.confirmations = confirmations;
        this.primaryStartTimeout = primaryStartTimeout;
        this.leaseTtl = leaseTtl;
    }

    /** Forget the history (a new target primary, a change made). */
    public void reset() {
        failedLooks = 0;
        downSinceNanos = -1;
    }

    public Verdict look(Look l, long nowNanos) {
        boolean watchesLease = !leaseTtl.isZero() && l.agentAnswered() && l.leaseSilenceMillis() >= 0;
        if (watchesLease && l.leaseSilenceMillis() >= LOST_TTLS * leaseTtl.toMillis()) {
            failedLooks = 0;
            return new Verdict(
                    State.CUT_OFF,
                    "its agent answers but has not renewed the lease for " + l.leaseSilenceMillis()
                            + " ms while it and Kafka answer the coordinator (" + LOST_TTLS + " ttls of "
                            + leaseTtl.toMillis()
                            + " ms): it is cut off from Kafka and stops PostgreSQL at the end of its lease");
        }
        // an agent that renews asks every third of a ttl; one whose PostgreSQL went down after half a ttl without a
        // renewal was most likely stopped by its agent as its lease ran out (the coordinator counts the silence from
        // when it read the last request, the agent its lease from when it sent it, so the stop comes a little before
        // a whole ttl here): a restart could not hold, and an agent cut off from Kafka would hold the order up
        if (watchesLease && l.postgresDown() && 2 * l.leaseSilenceMillis() >= leaseTtl.toMillis()) {
            failedLooks = 0;
            return new Verdict(
                    State.SUSPECT,
                    "its agent reports PostgreSQL down and has not renewed the lease for " + l.leaseSilenceMillis()
                            + " ms: no restart in place (it could not hold a lease); a failover follows unless it"
                            + " renews");
        }
        if (l.writable() || (!l.agentAnswered() && l.probeAnswered())) {
            failedLooks = 0;
            downSinceNanos = -1;
            return new Verdict(
                    State.HEALTHY,
                    l.writable() ? "writable" : "its agent does not answer but PostgreSQL answers the direct probe");
        }
        if (l.agentAnswered() && l.postgresDown()) {
            failedLooks = 0;
            if (downSinceNanos < 0) {
                downSinceNanos = nowNanos;
            }
            long down = nowNanos - downSinceNanos;
            if (down > primaryStartTimeout.toNanos()) {
                return new Verdict(
                        State.LOST,
                        "its agent reports PostgreSQL down for "
                                + Duration.ofNanos(down).toMillis() + " ms, longer than primary-start-timeout "
                                + primaryStartTimeout);
            }
            return new Verdict(State.RESTARTING, "its agent reports PostgreSQL down; restarted in place");
        }
        if (l.agentAnswered()) {
            // the agent answers and PostgreSQL is neither writable nor surely down (in recovery, not answering
            // the agent): not this watch's to judge; the change in progress or the reconcile loop handles it
            failedLooks = 0;
            return new Verdict(State.HEALTHY, "its agent answers");
        }
        failedLooks++;
        String why = "its agent does not answer and the direct probe failed (" + l.probeError() + ")";
        if (failedLooks >= confirmations) {
            return new Verdict(State.LOST, why + " on " + failedLooks + " consecutive looks");
        }
        return new Verdict(State.SUSPECT, why + "; look " + failedLooks + " of " + confirmations);
    }
}
