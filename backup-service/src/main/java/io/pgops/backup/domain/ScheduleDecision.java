package io.pgops.backup.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * Whether a schedule (a cluster's full backup, or its restore drill) runs now. Pure: the clock is passed in.
 *
 * <p>{@code last} is when the schedule last came due; before its first run, the start of the newest catalogued
 * backup (so a restarted service neither repeats nor forgets a run; a run missed while the service was down is
 * caught up once, at once), else the service's start. A schedule that comes due while the cluster is busy (a
 * backup queued or running) is skipped rather than queued: two backups of one cluster never run at once, and the
 * one already running is as fresh as the one skipped.
 */
public final class ScheduleDecision {
    private ScheduleDecision() {}

    public enum Action {
        /** Not due yet. */
        WAIT,
        /** Due: start it now, and remember {@code now} as the last time it came due. */
        RUN,
        /** Due, but the cluster is busy: remember {@code now} as the last time it came due, start nothing. */
        SKIP
    }

    /**
     * @param action what to do
     * @param reason why, in words
     * @param due when the schedule came (or comes) due; empty when it never comes due again
     */
    public record Decision(Action action, String reason, Optional<Instant> due) {}

    /**
     * @param what what the schedule starts, in words ({@code "full backup of orders"})
     * @param recurrence when it comes due
     * @param last when it last came due (see the class comment)
     * @param now the clock's reading
     * @param busy why the cluster cannot take another run now; empty when it is free
     */
    public static Decision decide(
            String what, Recurrence recurrence, Instant last, Instant now, Optional<String> busy) {
        Optional<Instant> next = recurrence.nextAfter(last);
        if (next.isEmpty()) {
            return new Decision(Action.WAIT, what + " (" + recurrence.describe() + ") never comes due again", next);
        }
        Instant due = next.get();
        if (now.isBefore(due)) {
            return new Decision(Action.WAIT, what + " next due at " + due + " (" + recurrence.describe() + ")", next);
        }
        Optional<Instant> after = recurrence.nextAfter(due);
        boolean missed = after.isPresent() && !now.isBefore(after.get());
        String when = "due at " + due + " (" + recurrence.describe() + ")"
                + (missed ? ", later runs missed while nothing ran are caught up by this one" : "");
        if (busy.isPresent()) {
            return new Decision(Action.SKIP, what + " " + when + " skipped: " + busy.get(), next);
        }
        return new Decision(Action.RUN, what + " " + when, next);
    }
}
