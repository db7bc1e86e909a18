package io.pgops.replication.domain;

import io.pgops.events.model.NodeName;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The answers of an agent's Patroni-compatible routing endpoints, decided from its node's status.
 * HAProxy sends writes only where {@link #primary} says 200 and reads where {@link #replica} does.
 *
 * <p>Stricter than Patroni on purpose: a replica whose WAL receiver is not streaming answers 503 (it
 * serves an ever older snapshot), and a primary that refuses writes (fenced read-only) is no primary.
 * {@link #primary(NodeStatus, NodeName, Optional)} also requires the newest committed topology to name
 * this node the target primary, so a node that was replaced (an old primary that came back writable, or
 * one being switched away from) gets no writes even while it still accepts them.
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

    /**
     * The primary check HAProxy uses: writable, and the target primary of the newest committed topology
     * ({@code target} empty: no topology has been committed yet, so no node may take writes through
     * pgops' front door).
     */
    public static Verdict primary(NodeStatus s, NodeName self, Optional<NodeName> target) {
        return primary(s, self, target, true);
    }

    /**
     * As {@link #primary(NodeStatus, NodeName, Optional)}; {@code viewCurrent}: the agent has read the
     * committed topology to the end offsets of its start. Until then what it knows may be older than
     * what it knew before a restart or a pause, so it vouches for no primary.
     */
    public static Verdict primary(NodeStatus s, NodeName self, Optional<NodeName> target, boolean viewCurrent) {
        Verdict own = primary(s);
        if (own.status() != 200) {
            return own;
        }
        if (!viewCurrent) {
            return Verdict.no("writable, but the agent has not yet read the topology to its end since it started");
        }
        if (target.isEmpty()) {
            return Verdict.no("writable, but no topology has been committed yet");
        }
        if (!target.get().equals(self)) {
            return Verdict.no("writable, but the topology's target primary is " + target.get() + ": fenced off");
        }
        return Verdict.ok("writable primary and the topology's target");
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
