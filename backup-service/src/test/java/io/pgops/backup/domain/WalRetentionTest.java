package io.pgops.backup.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Timeline;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class WalRetentionTest {
    private static final long SIZE = WalSegment.DEFAULT_SIZE;
    private static final Timeline T1 = Timeline.of(1);
    private static final Timeline T2 = Timeline.of(2);

    /** A backup on {@code tl} from the middle of segment {@code startSeg} to the middle of {@code stopSeg}. */
    private static CatalogueEntry backup(String id, Timeline tl, long startSeg, long stopSeg) {
        Instant at = Instant.parse("2026-12-06T02:00:00Z");
        return new CatalogueEntry(
                BackupId.of(id),
                ClusterId.of("it"),
                NodeName.of("node2"),
                "127.0.0.1:5432",
                Lsn.of(startSeg * SIZE + 0x28),
                Lsn.of(stopSeg * SIZE + 0x100),
                tl,
                100,
                50,
                1000,
                "zstd",
                "server-side",
                List.of("base.tar.zst"),
                at,
                at,
                Verification.none());
    }

    private static List<WalSegment> range(Timeline tl, long first, long last) {
        return LongStream.rangeClosed(first, last)
                .mapToObj(n -> new WalSegment(tl, n, "lz4", false))
                .toList();
    }

    private static List<WalSegment> without(List<WalSegment> all, List<WalSegment> removed) {
        List<WalSegment> out = new ArrayList<>(all);
        out.removeAll(removed);
        return out;
    }

    @Test
    void removesTheSegmentsBeforeTheOneWhereTheOldestKeptBackupStarts() {
        List<WalSegment> archive = range(T1, 1, 20);
        var plan = WalRetention.plan(
                archive,
                List.of(
                        backup("20261206T020000000Z-node2", T1, 10, 11),
                        backup("20261207T020000000Z-node2", T1, 15, 16)),
                SIZE);
        assertEquals(range(T1, 1, 9), plan.remove());
        assertEquals(Optional.of(WalSegment.of(T1, 10)), plan.firstKept());
        assertTrue(plan.reason().contains("segment 00000001000000000000000A"), plan.reason());
    }

    @Test
    void removesNothingWhenNoBackupIsKept() {
        var plan = WalRetention.plan(range(T1, 1, 20), List.of(), SIZE);
        assertEquals(List.of(), plan.remove());
        assertEquals("no backup is kept: the WAL archive is left as it is", plan.reason());
    }

    @Test
    void removesAnOldTimelinesSegmentsBeforeABackupOnTheNewTimeline() {
        // timeline 2 branched off in segment 12; the oldest kept backup starts in segment 14 on timeline 2
        List<WalSegment> archive = new ArrayList<>(range(T1, 1, 12));
        archive.addAll(range(T2, 12, 20));
        var plan = WalRetention.plan(archive, List.of(backup("20261206T020000000Z-node2", T2, 14, 15)), SIZE);
        List<WalSegment> expected = new ArrayList<>(range(T1, 1, 12));
        expected.addAll(range(T2, 12, 13));
        assertEquals(expected, plan.remove());

        List<WalSegment> left = without(archive, plan.remove());
        Map<Timeline, TimelineHistory> history =
                Map.of(T2, TimelineHistory.parse(T2, "1\t0/C000A38\tno recovery target specified\n"));
        WalGaps.Report r = WalGaps.check(left, history, Optional.of(WalSegment.of(T2, 15)), SIZE);
        assertTrue(r.complete(), "the removed range is no gap: " + r);
    }

    @Test
    void keepsALaterTimelinesSegmentsEvenBeforeTheStart() {
        // an abandoned branch: timeline 2 left timeline 1 in segment 5, yet the kept backup is on timeline 1
        List<WalSegment> archive = new ArrayList<>(range(T1, 1, 20));
        archive.addAll(range(T2, 5, 8));
        var plan = WalRetention.plan(archive, List.of(backup("20261206T020000000Z-node2", T1, 10, 11)), SIZE);
        assertEquals(range(T1, 1, 9), plan.remove());
    }

    @Test
    void removesAnOldPartialSegmentButNeverTheOneBeingStreamed() {
        List<WalSegment> archive = new ArrayList<>(range(T1, 3, 9));
        archive.add(new WalSegment(T1, 2, "lz4", true));
        archive.add(new WalSegment(T1, 10, "lz4", true));
        var plan = WalRetention.plan(archive, List.of(backup("20261206T020000000Z-node2", T1, 10, 10)), SIZE);
        assertEquals(8, plan.remove().size());
        assertTrue(plan.remove().contains(new WalSegment(T1, 2, "lz4", true)));
        assertTrue(!plan.remove().contains(new WalSegment(T1, 10, "lz4", true)));
    }

    @Test
    void theGapCheckFindsNoGapAfterThePruneWhereverItStarts() {
        List<WalSegment> archive = range(T1, 1, 20);
        var kept = List.of(backup("20261206T020000000Z-node2", T1, 10, 11));
        List<WalSegment> left =
                without(archive, WalRetention.plan(archive, kept, SIZE).remove());
        assertTrue(WalGaps.check(left, Map.of(), Optional.of(WalSegment.of(T1, 11)), SIZE)
                .complete());
        assertTrue(WalGaps.check(left, Map.of(), Optional.empty(), SIZE).complete());
    }
}
