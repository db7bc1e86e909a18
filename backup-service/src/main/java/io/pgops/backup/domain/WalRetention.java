package io.pgops.backup.domain;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which WAL segments of a cluster's archive no kept backup needs, once retention has run. Pure.
 *
 * <p>A restore of the oldest kept backup replays from its start position (the checkpoint's redo point) on: every
 * segment from the one holding that position is needed, on its timeline and on every later one. A segment goes only
 * when it lies before that segment and on that timeline or an older one (a later timeline's segment before it can
 * only be an abandoned branch's: it stays, as do history files, which are not segments, and any file that is not a
 * segment's). No kept backup: nothing goes. The gap check starts at a kept backup's stop position, so it never
 * reports the removed range as a gap.
 */
public final class WalRetention {
    private WalRetention() {}

    /**
     * @param remove the segment files to delete, in archive order
     * @param firstKept the first segment kept (the one holding the oldest kept backup's start position); empty
     *     when no backup is kept
     * @param reason in words
     */
    public record Plan(List<WalSegment> remove, Optional<WalSegment> firstKept, String reason) {}

    /**
     * @param segments every segment file in the archive
     * @param kept the backups retention kept
     * @param segmentSize the cluster's WAL segment size, bytes
     */
    public static Plan plan(List<WalSegment> segments, List<CatalogueEntry> kept, long segmentSize) {
        Optional<CatalogueEntry> oldest = kept.stream().min(Comparator.comparing(CatalogueEntry::id));
        if (oldest.isEmpty()) {
            return new Plan(List.of(), Optional.empty(), "no backup is kept: the WAL archive is left as it is");
        }
        CatalogueEntry b = oldest.get();
        WalSegment first = WalSegment.containing(b.timeline(), b.startLsn(), segmentSize);
        List<WalSegment> remove = segments.stream()
                .filter(s -> s.timeline().compareTo(first.timeline()) <= 0 && s.number() < first.number())
                .sorted(Comparator.comparing(WalSegment::timeline).thenComparingLong(WalSegment::number))
                .toList();
        return new Plan(
                remove,
                Optional.of(first),
                "the oldest kept backup " + b.id() + " starts at " + b.startLsn() + " in segment "
                        + first.name(segmentSize) + ": " + remove.size() + " older segment file(s) on timeline "
                        + first.timeline() + " or before are not needed");
    }
}
