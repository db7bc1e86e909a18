package io.pgops.maintenance.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Orders a run's tasks and decides, before each, whether it may still start in the window. Order: invalid
 * indexes dropped (cheap, and every write stops paying for them), rebuilds, vacuums (most dead tuples first),
 * analyzes. A target appears once: a vacuum analyzes too, so an analyze of the same table is dropped.
 */
public final class TaskPlanner {
    private TaskPlanner() {}

    /** Start or not, and why. */
    public record Decision(boolean start, String reason) {}

    public static List<Task> plan(List<Task> tasks) {
        List<Task> sorted = new ArrayList<>(tasks);
        sorted.sort(Comparator.comparingInt((Task t) -> t.kind().order())
                .thenComparing(Comparator.comparingLong(Task::weight).reversed()));
        Set<String> seen = new HashSet<>();
        List<Task> out = new ArrayList<>();
        for (Task t : sorted) {
            if (seen.add(t.kind().target() + ":" + t.target().text())) {
                out.add(t);
            }
        }
        return List.copyOf(out);
    }

    /**
     * Whether {@code task} may start at {@code now} in a window that ends at {@code windowEnd}: only if its
     * estimated duration (its size at {@code bytesPerSecond}) ends before the window does. A task that starts
     * runs to its end or its {@code statement_timeout}; it is never killed half-way by the window.
     */
    public static Decision next(Task task, Instant now, Instant windowEnd, long bytesPerSecond) {
        if (!now.isBefore(windowEnd)) {
            return new Decision(
                    false,
                    "the window ended at " + windowEnd + "; " + task.kind() + " of "
                            + task.target().text() + " waits for the next one");
        }
        Duration estimate = estimate(task, bytesPerSecond);
        Duration left = Duration.between(now, windowEnd);
        if (estimate.compareTo(left) > 0) {
            return new Decision(
                    false,
                    task.kind() + " of " + task.target().text() + " (" + Figures.bytes(task.sizeBytes())
                            + ") would take about " + estimate.toSeconds() + " s but the window has " + left.toSeconds()
                            + " s left; it waits for the next one");
        }
        return new Decision(
                true,
                task.kind() + " of " + task.target().text() + " fits: about " + estimate.toSeconds() + " s of "
                        + left.toSeconds() + " s left");
    }

    /** Size at the configured rate; at least a second. */
    public static Duration estimate(Task task, long bytesPerSecond) {
        long millis = Math.max(1000, task.sizeBytes() * 1000 / Math.max(1, bytesPerSecond));
        return Duration.ofMillis(millis);
    }
}
