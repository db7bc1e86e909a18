package io.pgops.backup.domain;

import io.pgops.events.model.Timeline;
import java.util.Optional;

/**
 * Whether a {@code FailoverCompleted} calls for a fresh full backup, with the reason in words. The point is a
 * restorable base on the new timeline soon: a base taken before the failover restores only up to the switch
 * point of its own timeline unless every WAL segment and history file since is also there, and the new primary's
 * first hours are exactly when an operator wants a short restore. So one backup per new timeline: a redelivered
 * record, or a failover already covered by a backup on that timeline or a later one, takes none; a backup or drill
 * of the cluster already queued or running does not skip it (it may be on the old timeline) but queues it behind.
 */
public final class AfterFailover {
    private AfterFailover() {}

    /** Take a backup, or not. */
    public enum Action {
        TAKE,
        SKIP
    }

    /** The decision and why. */
    public record Decision(Action action, String reason) {}

    /**
     * @param enabled {@code pgops.backup.after-failover}
     * @param managed the cluster is in this instance's inventory
     * @param what the failover in words (kind, old and new primary, term)
     * @param newTimeline the timeline the new primary writes
     * @param alreadyTaken a backup for this timeline of the cluster was already queued by this instance
     * @param newestBackup the timeline of the newest catalogued backup of the cluster, if any
     * @param busy what of the cluster is queued or running now, if anything
     */
    public static Decision decide(
            boolean enabled,
            boolean managed,
            String what,
            Timeline newTimeline,
            boolean alreadyTaken,
            Optional<Timeline> newestBackup,
            Optional<String> busy) {
        if (!enabled) {
            return skip("no backup after the " + what + ": pgops.backup.after-failover is off");
        }
        if (!managed) {
            return skip("no backup after the " + what + ": the cluster is not in this instance's inventory");
        }
        if (alreadyTaken) {
            return skip("no second backup after the " + what + ": one for timeline " + newTimeline
                    + " was already requested (a record delivered again)");
        }
        if (newestBackup.isPresent() && newestBackup.get().compareTo(newTimeline) >= 0) {
            return skip("no backup after the " + what + ": the newest backup is already on timeline "
                    + newestBackup.get() + ", which restores the new timeline " + newTimeline);
        }
        String base = newestBackup
                .map(t -> "the newest backup is on timeline " + t + ", before the switch")
                .orElse("the cluster has no backup yet");
        String reason = "fresh base backup on timeline " + newTimeline + " after the " + what + " (" + base + ")";
        return new Decision(
                Action.TAKE, busy.map(b -> reason + "; queued behind " + b).orElse(reason));
    }

    private static Decision skip(String reason) {
        return new Decision(Action.SKIP, reason);
    }
}
