package io.pgops.health.domain;

import static io.pgops.health.domain.CheckNames.ARCHIVE_FAILURES;
import static io.pgops.health.domain.CheckNames.CHECKPOINTS_REQUESTED;
import static io.pgops.health.domain.CheckNames.DEADLOCKS;
import static io.pgops.health.domain.CheckNames.TEMP_BYTES;

import io.pgops.health.domain.sample.NodeSample;
import java.util.ArrayList;
import java.util.List;

/**
 * Counter-based checks judged on their growth within {@code activity-window}: WAL archive failures
 * ({@code pg_stat_archiver}), requested vs timed checkpoints, temporary file bytes, deadlocks.
 */
public final class ActivityChecks {
    /** Fewer checkpoints than this in the window say nothing about their mix. */
    static final int MIN_CHECKPOINTS = 2;

    private ActivityChecks() {}

    public static List<CheckResult> evaluate(NodeSample node, Thresholds t, ActivityWindow window) {
        List<CheckResult> out = new ArrayList<>();
        if (node.counters() == null) {
            return out;
        }
        ActivityWindow.Growth g = window.add(node.at(), node.counters(), t.activityWindow());
        if (g == null) {
            return out;
        }
        String in = " in the last " + Text.millis(g.span().toMillis());
        out.add(CheckResult.above(
                ARCHIVE_FAILURES,
                Severity.CRITICAL,
                g.archiveFailed(),
                t.archiveFailures(),
                "failures",
                g.archiveFailed() + " WAL archive failure(s)" + in
                        + (g.archiveFailed() > 0
                                ? " (last failed: " + node.counters().lastFailedWal() + ")"
                                : "")));
        long total = g.checkpointsTimed() + g.checkpointsRequested();
        double ratio = total < MIN_CHECKPOINTS ? 0 : (double) g.checkpointsRequested() / total;
        out.add(CheckResult.above(
                CHECKPOINTS_REQUESTED,
                Severity.WARNING,
                ratio,
                t.checkpointsRequestedRatio(),
                "ratio",
                g.checkpointsRequested() + " requested and " + g.checkpointsTimed() + " timed checkpoint(s)" + in
                        + (total < MIN_CHECKPOINTS ? " (too few to judge)" : "")
                        + (ratio > t.checkpointsRequestedRatio() ? ": consider a larger max_wal_size" : "")));
        out.add(CheckResult.above(
                TEMP_BYTES,
                Severity.WARNING,
                g.tempBytes(),
                t.tempBytes(),
                "bytes",
                Text.bytes(g.tempBytes()) + " written to temporary files" + in + " (limit " + Text.bytes(t.tempBytes())
                        + ")"));
        out.add(CheckResult.above(
                DEADLOCKS,
                Severity.WARNING,
                g.deadlocks(),
                t.deadlocks(),
                "deadlocks",
                g.deadlocks() + " deadlock(s)" + in));
        return out;
    }
}
