package io.pgops.maintenance.domain;

import io.pgops.events.replication.TopologyChanged;
import java.util.Optional;

/**
 * Whether maintenance must wait for the cluster's roles to settle: while the replication service's latest
 * topology names a target primary that is not yet the current one (a failover or switchover under way), a
 * vacuum or reindex would only compete with the promotion, or run on a node about to be fenced.
 */
public final class ChangeGuard {
    private ChangeGuard() {}

    /** Why to wait, or empty when nothing is known of a change under way. */
    public static Optional<String> waitReason(TopologyChanged latest) {
        if (latest == null) {
            return Optional.empty();
        }
        if (latest.currentPrimary() == null || !latest.currentPrimary().equals(latest.targetPrimary())) {
            return Optional.of(
                    "a leadership change is in progress on " + latest.cluster().value() + " (term "
                            + latest.term().value() + ": target primary "
                            + latest.targetPrimary().value() + ", current "
                            + (latest.currentPrimary() == null
                                    ? "none"
                                    : latest.currentPrimary().value())
                            + "); maintenance waits until it is done");
        }
        return Optional.empty();
    }
}
