package io.pgops.backup.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.model.Lsn;
import io.pgops.events.model.Timeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WalGapsTest {
    static final long SIZE = WalSegment.DEFAULT_SIZE;
    static final Timeline T1 = Timeline.of(1);
    static final Timeline T2 = Timeline.of(2);

    static List<WalSegment> files(String... names) {
        List<WalSegment> out = new ArrayList<>();
        for (String n : names) {
            out.add(WalSegment.parse(n, SIZE).orElseThrow());
        }
        return out;
    }

    static List<WalSegment> range(Timeline t, long from, long to) {
        List<WalSegment> out = new ArrayList<>();
        for (long n = from; n <= to; n++) {
            out.add(WalSegment.of(t, n));
        }
        return out;
    }

    @Test
    void contiguousSegmentsFromTheBackupToTheStreamedOneHaveNoGap() {
        List<WalSegment> s = new ArrayList<>(range(T1, 2, 6));
        s.addAll(files("000000010000000000000007.lz4.partial"));
        WalGaps.Report r = WalGaps.check(s, Map.of(), Optional.of(WalSegment.of(T1, 3)), SIZE);
        assertTrue(r.complete(), r.toString());
        assertEquals(List.of(new WalGaps.Stretch(T1, 3, 7, 5)), r.stretches());
    }

    @Test
    void aMissingSegmentIsOneGapWithTheSegmentBeforeIt() {
        List<WalSegment> s = new ArrayList<>(range(T1, 3, 9));
        s.remove(WalSegment.of(T1, 5));
        WalGaps.Report r = WalGaps.check(s, Map.of(), Optional.of(WalSegment.of(T1, 3)), SIZE);
        assertEquals(1, r.gaps().size(), r.toString());
        WalGaps.Gap g = r.gaps().getFirst();
        assertEquals(new WalGaps.Gap(T1, 5, 1, Optional.of(4L)), g);
        assertEquals(Lsn.parse("0/5000000"), g.startLsn(SIZE));
    }

    @Test
    void missingSegmentsInARowAreOneGapWithTheirCount() {
        List<WalSegment> s = new ArrayList<>(range(T1, 3, 4));
        s.addAll(range(T1, 8, 9));
        WalGaps.Report r = WalGaps.check(s, Map.of(), Optional.of(WalSegment.of(T1, 3)), SIZE);
        assertEquals(List.of(new WalGaps.Gap(T1, 5, 3, Optional.of(4L))), r.gaps());
    }

    @Test
    void segmentsMissingRightAfterTheBackupAreAGapWithNothingBeforeIt() {
        WalGaps.Report r = WalGaps.check(range(T1, 6, 8), Map.of(), Optional.of(WalSegment.of(T1, 3)), SIZE);
        assertEquals(List.of(new WalGaps.Gap(T1, 3, 3, Optional.empty())), r.gaps());
    }

    @Test
    void segmentsOlderThanTheBackupAreNotNeeded() {
        List<WalSegment> s = new ArrayList<>(range(T1, 1, 1));
        s.addAll(range(T1, 5, 6));
        assertTrue(WalGaps.check(s, Map.of(), Optional.of(WalSegment.of(T1, 5)), SIZE)
                .complete());
    }

    @Test
    void withoutABackupTheArchiveIsCheckedFromItsOldestSegment() {
        List<WalSegment> s = new ArrayList<>(range(T1, 4, 5));
        s.addAll(range(T1, 7, 7));
        WalGaps.Report r = WalGaps.check(s, Map.of(), Optional.empty(), SIZE);
        assertEquals(List.of(new WalGaps.Gap(T1, 6, 1, Optional.of(5L))), r.gaps());
    }

    @Test
    void anEmptyArchiveHasNoGapAndSaysSo() {
        WalGaps.Report r = WalGaps.check(List.of(), Map.of(), Optional.empty(), SIZE);
        assertTrue(r.complete());
        assertTrue(r.note().contains("no WAL segment"), r.note());
    }

    @Test
    void afterASwitchoverTheOldTimelineIsNeededUpToTheSwitchAndTheNewOneFromThere() {
        // timeline 1 ended in segment 6 (left partial by pg_receivewal); timeline 2 starts with its copy of 6
        List<WalSegment> s = new ArrayList<>(range(T1, 3, 5));
        s.addAll(files("000000010000000000000006.lz4.partial"));
        s.addAll(range(T2, 6, 8));
        Map<Timeline, TimelineHistory> h =
                Map.of(T2, TimelineHistory.parse(T2, "1\t0/6000A38\tno recovery target specified\n"));
        WalGaps.Report r = WalGaps.check(s, h, Optional.of(WalSegment.of(T1, 3)), SIZE);
        assertTrue(r.complete(), r.toString());
        assertEquals(List.of(new WalGaps.Stretch(T1, 3, 5, 3), new WalGaps.Stretch(T2, 6, 8, 3)), r.stretches());
    }

    @Test
    void aSegmentMissingOnTheNewTimelineIsAGapOnThatTimeline() {
        List<WalSegment> s = new ArrayList<>(range(T1, 3, 5));
        s.addAll(range(T2, 7, 8));
        Map<Timeline, TimelineHistory> h = Map.of(T2, TimelineHistory.parse(T2, "1\t0/6000A38\tx\n"));
        WalGaps.Report r = WalGaps.check(s, h, Optional.of(WalSegment.of(T1, 3)), SIZE);
        assertEquals(List.of(new WalGaps.Gap(T2, 6, 1, Optional.empty())), r.gaps());
    }

    @Test
    void withoutTheNewTimelinesHistoryOnlyThatTimelineIsCheckedAndTheNoteSaysWhy() {
        List<WalSegment> s = new ArrayList<>(range(T1, 3, 5));
        s.addAll(range(T2, 6, 8));
        WalGaps.Report r = WalGaps.check(s, Map.of(), Optional.of(WalSegment.of(T1, 3)), SIZE);
        assertTrue(r.complete(), r.toString());
        assertEquals(List.of(new WalGaps.Stretch(T2, 6, 8, 3)), r.stretches());
        assertTrue(r.note().contains("history file of timeline 2 is missing"), r.note());
    }

    @Test
    void aPartialSegmentInTheMiddleDoesNotCountAsArchived() {
        List<WalSegment> s = new ArrayList<>(range(T1, 3, 4));
        s.addAll(files("000000010000000000000005.partial"));
        s.addAll(range(T1, 6, 6));
        WalGaps.Report r = WalGaps.check(s, Map.of(), Optional.of(WalSegment.of(T1, 3)), SIZE);
        assertEquals(List.of(new WalGaps.Gap(T1, 5, 1, Optional.of(4L))), r.gaps());
    }
}
