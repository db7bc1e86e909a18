package io.pgops.health.domain;

import io.pgops.health.domain.sample.Counters;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One node's cumulative counters over a sliding window, so a check judges how much a counter grew
 * recently. A single deadlock thus stays visible for the whole window instead of one probe (which
 * debounce would swallow). A counter that went down means the statistics were reset: the window
 * starts again.
 */
public final class ActivityWindow {
    private record Point(Instant at, Counters counters) {}

    private final Deque<Point> points = new ArrayDeque<>();

    /**
     * Adds a sample and returns the growth since the oldest sample still inside the window, or null
     * while there is no earlier sample to compare with.
     */
    public Growth add(Instant at, Counters c, Duration window) {
        Point last = points.peekLast();
        if (last != null && reset(last.counters(), c)) {
            points.clear();
        }
        points.addLast(new Point(at, c));
        // keep one point at or before the window's start as the baseline
        Instant start = at.minus(window);
        while (points.size() > 2
                && !points.stream().skip(1).findFirst().orElseThrow().at().isAfter(start)) {
            points.removeFirst();
        }
        Point base = points.peekFirst();
        if (base == null || base.at().equals(at)) {
            return null;
        }
        Counters b = base.counters();
        return new Growth(
                Duration.between(base.at(), at),
                c.archiveFailed() - b.archiveFailed(),
                c.checkpointsTimed() - b.checkpointsTimed(),
                c.checkpointsRequested() - b.checkpointsRequested(),
                c.tempBytes() - b.tempBytes(),
                c.deadlocks() - b.deadlocks());
    }

    private static boolean reset(Counters before, Counters now) {
        return now.archiveFailed() < before.archiveFailed()
                || now.checkpointsTimed() < before.checkpointsTimed()
                || now.checkpointsRequested() < before.checkpointsRequested()
                || now.tempBytes() < before.tempBytes()
                || now.deadlocks() < before.deadlocks();
    }

    /**
     * How much each counter grew over {@code span}.
     *
     * @param span from the baseline sample to now (at most about the window)
     */
    public record Growth(
            Duration span,
            long archiveFailed,
            long checkpointsTimed,
            long checkpointsRequested,
            long tempBytes,
            long deadlocks) {}
}
