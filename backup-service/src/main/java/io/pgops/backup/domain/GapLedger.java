package io.pgops.backup.domain;

import io.pgops.events.backup.WalArchiveGapDetected;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which gaps of one cluster's archive were already reported, so each is published once however often the archive
 * is checked. A gap that closes (the segment came back) is forgotten, and reported again should it reopen.
 */
public final class GapLedger {
    private final Set<String> reported = new HashSet<>();

    /**
     * The events for the gaps of {@code report} not reported before; remembers them as reported.
     *
     * @param repository the archive directory, as the event names it
     */
    public synchronized List<WalArchiveGapDetected> newGaps(
            ClusterId cluster, String repository, WalGaps.Report report, long segmentSize, Instant now) {
        Set<String> current = report.gaps().stream().map(WalGaps.Gap::key).collect(Collectors.toSet());
        reported.retainAll(current);
        List<WalArchiveGapDetected> out = new ArrayList<>();
        for (WalGaps.Gap g : report.gaps()) {
            if (reported.add(g.key())) {
                out.add(event(cluster, repository, g, segmentSize, now));
            }
        }
        return out;
    }

    static WalArchiveGapDetected event(
            ClusterId cluster, String repository, WalGaps.Gap g, long segmentSize, Instant now) {
        String first = WalSegment.of(g.timeline(), g.firstMissing()).name(segmentSize);
        String last =
                WalSegment.of(g.timeline(), g.firstMissing() + g.count() - 1).name(segmentSize);
        Lsn end = Lsn.of((g.firstMissing() + g.count()) * segmentSize);
        String reason =
                (g.count() == 1 ? "segment " + first + " is" : g.count() + " segments " + first + ".." + last + " are")
                        + " missing on timeline " + g.timeline() + " (WAL " + g.startLsn(segmentSize) + ".." + end
                        + "): a backup older than the gap cannot be rolled forward past it; take a new base backup";
        return new WalArchiveGapDetected(
                cluster,
                repository,
                g.timeline(),
                first,
                g.count(),
                g.startLsn(segmentSize),
                g.lastBefore()
                        .map(n -> WalSegment.of(g.timeline(), n).name(segmentSize))
                        .orElse(null),
                reason,
                now);
    }
}
