package io.pgops.backup.domain;

import io.pgops.events.model.Lsn;
import io.pgops.events.model.Timeline;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the WAL archive covers and where it has holes: from a starting point (the segment a base backup's restore
 * first needs from the archive) along the newest timeline's ancestry to the newest segment, every segment must be
 * there. A timeline is needed from where it began (its history's switch point) to the segment before the one
 * where the next timeline branched off: that segment is read from the next timeline, which holds a copy of it.
 */
public final class WalGaps {
    private WalGaps() {}

    /**
     * One timeline's stretch of the archive.
     *
     * @param timeline the timeline
     * @param first the first segment needed on it
     * @param last the last segment needed on it (the newest there on the newest timeline)
     * @param present how many of those segments are there
     */
    public record Stretch(Timeline timeline, long first, long last, long present) {}

    /**
     * Consecutive missing segments on one timeline.
     *
     * @param timeline the timeline
     * @param firstMissing the first missing segment's number
     * @param count how many are missing in a row
     * @param lastBefore the segment archived right before the gap, if it is there
     */
    public record Gap(Timeline timeline, long firstMissing, long count, Optional<Long> lastBefore) {
        public Lsn startLsn(long segmentSize) {
            return Lsn.of(firstMissing * segmentSize);
        }

        /** A key that stays the same while the gap is unchanged, for reporting it once. */
        public String key() {
            return timeline.value() + ":" + firstMissing;
        }
    }

    /**
     * The archive's coverage.
     *
     * @param stretches each needed timeline's stretch, oldest timeline first; empty for an empty archive
     * @param gaps every gap, oldest first
     * @param note how the stretches were found, in words (e.g. that a timeline's history is missing)
     */
    public record Report(List<Stretch> stretches, List<Gap> gaps, String note) {
        public boolean complete() {
            return gaps.isEmpty();
        }
    }

    /**
     * Checks the archive.
     *
     * @param segments every segment file in the archive
     * @param histories the history files in the archive, by timeline
     * @param start the first segment needed (the one holding a base backup's stop position, on its timeline), or
     *     empty to start at the oldest segment of the oldest timeline that has any
     * @param segmentSize the cluster's WAL segment size, bytes
     */
    public static Report check(
            List<WalSegment> segments,
            Map<Timeline, TimelineHistory> histories,
            Optional<WalSegment> start,
            long segmentSize) {
        WalSegment.checkSize(segmentSize);
        Map<Timeline, TreeSet<Long>> full = new TreeMap<>();
        Map<Timeline, TreeSet<Long>> partial = new TreeMap<>();
        for (WalSegment s : segments) {
            (s.partial() ? partial : full)
                    .computeIfAbsent(s.timeline(), t -> new TreeSet<>())
                    .add(s.number());
        }
        Optional<Timeline> newestSeen =
                segments.stream().map(WalSegment::timeline).max(Comparator.naturalOrder());
        if (newestSeen.isEmpty()) {
            return new Report(List.of(), List.of(), "the archive holds no WAL segment yet");
        }
        Timeline newest = newestSeen.get();
        List<TimelineHistory.Switch> ancestry =
                histories.containsKey(newest) ? histories.get(newest).ancestors() : List.of();
        String note = "";
        Optional<Timeline> startTl = start.map(WalSegment::timeline);
        if (startTl.isPresent()
                && !startTl.get().equals(newest)
                && ancestry.stream().noneMatch(a -> a.timeline().equals(startTl.get()))) {
            note = (histories.containsKey(newest)
                            ? "timeline " + startTl.get() + " is not an ancestor of the newest timeline " + newest
                            : "the history file of timeline " + newest + " is missing")
                    + ": only timeline " + newest + " is checked";
        }
        List<Stretch> stretches = new ArrayList<>();
        List<Gap> gaps = new ArrayList<>();
        boolean started = false;
        for (int i = 0; i <= ancestry.size(); i++) {
            boolean isNewest = i == ancestry.size();
            Timeline tl = isNewest ? newest : ancestry.get(i).timeline();
            Lsn begin = i == 0 ? null : ancestry.get(i - 1).end();
            TreeSet<Long> any = new TreeSet<>(full.getOrDefault(tl, new TreeSet<>()));
            if (isNewest) {
                // only the newest segment may be partial: it is the one being streamed
                partial.getOrDefault(tl, new TreeSet<>()).stream()
                        .filter(n -> any.isEmpty() || n > any.last())
                        .forEach(any::add);
            }
            boolean checkedBefore = started;
            started =
                    started || isNewest || (startTl.isPresent() ? startTl.get().equals(tl) : !any.isEmpty());
            if (!started) {
                continue;
            }
            long first;
            if (startTl.isPresent() && startTl.get().equals(tl)) {
                first = start.get().number();
            } else if (checkedBefore && begin != null) {
                first = Long.divideUnsigned(begin.value(), segmentSize);
            } else if (!any.isEmpty()) {
                first = any.first();
            } else {
                continue;
            }
            long last = isNewest
                    ? (any.isEmpty() ? first - 1 : any.last())
                    : Long.divideUnsigned(ancestry.get(i).end().value(), segmentSize) - 1;
            if (last < first) {
                continue;
            }
            long present = 0;
            long runStart = -1;
            for (long n = first; n <= last; n++) {
                boolean there = any.contains(n);
                if (there) {
                    present++;
                } else if (runStart < 0) {
                    runStart = n;
                }
                if (runStart >= 0 && (there || n == last)) {
                    long stop = there ? n - 1 : n;
                    Optional<Long> before = any.contains(runStart - 1) ? Optional.of(runStart - 1) : Optional.empty();
                    gaps.add(new Gap(tl, runStart, stop - runStart + 1, before));
                    runStart = -1;
                }
            }
            stretches.add(new Stretch(tl, first, last, present));
        }
        return new Report(List.copyOf(stretches), List.copyOf(gaps), note);
    }
}
