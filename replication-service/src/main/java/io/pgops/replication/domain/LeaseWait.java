package io.pgops.replication.domain;

import io.pgops.events.model.NodeName;
import java.time.Duration;
import java.util.List;

/**
 * Whether a failover must wait for the old primary's lease to run out before it promotes, and how long. Pure.
 *
 * <p>No wait when the old primary is known to be stopped (its agent confirmed the stop, a predecessor recorded
 * its shutdown checkpoint, or its agent reports PostgreSQL down), nor in {@code strict} synchronous mode when the
 * candidate is the synchronous standby the committed topology records: the old primary cannot acknowledge a
 * commit without it. Otherwise an old primary that is only cut off could go on acknowledging commits until its
 * lease ends, so the promotion waits until the last grant + ttl + margin.
 */
public final class LeaseWait {
    private LeaseWait() {}

    /** @param remaining how long still to wait (zero: none) */
    public record Decision(Duration remaining, String reason) {}

    /**
     * @param oldStopped the old primary is known to be stopped, and why (null: not known)
     * @param sinceLastGrant how long ago the old primary was last granted a lease (or ordered to start)
     */
    public static Decision decide(
            String oldStopped,
            SyncPlan.Mode mode,
            List<NodeName> recordedSync,
            NodeName candidate,
            Duration sinceLastGrant,
            Duration ttl,
            Duration margin) {
        if (oldStopped != null) {
            return new Decision(Duration.ZERO, "no wait for the old primary's lease: " + oldStopped);
        }
        if (mode == SyncPlan.Mode.STRICT && recordedSync.contains(candidate)) {
            return new Decision(
                    Duration.ZERO,
                    "no wait for the old primary's lease: strict synchronous mode and " + candidate
                            + " is the recorded synchronous standby, without which the old primary acknowledges no"
                            + " commit");
        }
        Duration left = ttl.plus(margin).minus(sinceLastGrant);
        if (left.isNegative() || left.isZero()) {
            return new Decision(
                    Duration.ZERO,
                    "the old primary's lease ran out: last granted " + sinceLastGrant.toMillis() + " ms ago, ttl "
                            + ttl.toMillis() + " ms + margin " + margin.toMillis() + " ms");
        }
        return new Decision(
                left,
                "waiting " + left.toMillis() + " ms for the old primary's lease to run out (last granted "
                        + sinceLastGrant.toMillis() + " ms ago, ttl " + ttl.toMillis() + " ms + margin "
                        + margin.toMillis() + " ms): until then it may still acknowledge commits");
    }
}
