package io.pgops.replication.domain;

import java.util.OptionalLong;

/**
 * The answers of an agent's Patroni-compatible routing endpoints, decided from its node's status.
 * HAProxy sends writes only where {@link #primary} says 200 and reads where {@link #replica} does.
 *
 * <p>Stricter than Patroni on purpose: a replica whose WAL receiver is not streaming answers 503 (it
 * serves an ever older snapshot), and a primary that refuses writes (fenced read-only) is no primary.
 * Not yet: the topology's target primary and term (they come with the coordinator); until then the
 * node's own state decides.
 */
public final class RoutingCheck {
    private RoutingCheck() {}

    /**
     * @param status HTTP status: 200 or 503
     * @param reason why, in words
     */
    public record Verdict(int status, String reason) {
        static Verdict ok(String reason) {
            return new Verdict(200, reason);
        }

        static Verdict no(String reason) {
            return new Verdict(503, reason);
        }
    }

    public static Verdict primary(NodeStatus s) {
        if (!s.running()) {
            return Verdict.no("PostgreSQL is not answering: " + s.error());
        }
        if (s.inRecovery()) {
            return Verdict.no("in recovery: a standby");
        }
        if (s.readOnly()) {
            return Verdict.no("primary refuses writes (default_transaction_read_only = on): fenced");
        }
        return Verdict.ok("writable primary");
    }

    /** A streaming standby, within {@code maxLagBytes} of its primary when a bound is given. */
    public static Verdict replica(NodeStatus s, OptionalLong maxLagBytes) {
        if (!s.running()) {
            return Verdict.no("PostgreSQL is not answering: " + s.error());
        }
        if (!s.inRecovery()) {
            return Verdict.no("not a standby: the primary");
        }
        if (!s.streaming()) {
            return Verdict.no(
                    "WAL receiver is " + (s.walReceiverStatus() == null ? "not running" : s.walReceiverStatus()));
        }
        if (maxLagBytes.isPresent()) {
            long lag = s.replayLagBytes();
            if (lag < 0) {
                return Verdict.no("replay lag unknown (primary position not readable)");
            }
            if (lag > maxLagBytes.getAsLong()) {
                return Verdict.no("replay lag " + lag + " bytes exceeds " + maxLagBytes.getAsLong());
            }
            return Verdict.ok("streaming standby, replay lag " + lag + " bytes");
        }
        return Verdict.ok("streaming standby");
    }

    /** Readable: a writable primary or a streaming standby. */
    public static Verdict readOnly(NodeStatus s) {
        Verdict p = primary(s);
        return p.status() == 200 ? p : replica(s, OptionalLong.empty());
    }

    /** PostgreSQL is up, whatever its role. */
    public static Verdict health(NodeStatus s) {
        return s.running()
                ? Verdict.ok("running as " + s.role())
                : Verdict.no("PostgreSQL is not answering: " + s.error());
    }
}
