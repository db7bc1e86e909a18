package io.pgops.backup.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.model.Lsn;
import io.pgops.events.model.Timeline;
import org.junit.jupiter.api.Test;

class WalSegmentTest {
    static final long SIZE = WalSegment.DEFAULT_SIZE;

    @Test
    void aSegmentNameGivesItsTimelineAndNumber() {
        WalSegment s = WalSegment.parse("000000010000000000000003", SIZE).orElseThrow();
        assertEquals(Timeline.of(1), s.timeline());
        assertEquals(3, s.number());
        assertFalse(s.partial());
        assertEquals("", s.compression());
        assertEquals(Lsn.parse("0/3000000"), s.startLsn(SIZE));
    }

    @Test
    void theSecondHalfOfTheNameWrapsEvery256SegmentsOf16Megabytes() {
        WalSegment s = WalSegment.parse("0000000200000001000000A0", SIZE).orElseThrow();
        assertEquals(256 + 0xA0, s.number());
        assertEquals("0000000200000001000000A0", s.name(SIZE));
        assertEquals(Lsn.parse("1/A0000000"), s.startLsn(SIZE));
    }

    @Test
    void compressedAndPartialSuffixesAreRecognisedAndKept() {
        WalSegment s =
                WalSegment.parse("000000010000000000000007.lz4.partial", SIZE).orElseThrow();
        assertTrue(s.partial());
        assertEquals("lz4", s.compression());
        assertEquals("000000010000000000000007.lz4.partial", s.fileName(SIZE));
        assertTrue(WalSegment.parse("000000010000000000000007.partial", SIZE)
                .orElseThrow()
                .partial());
        assertEquals(
                "gz",
                WalSegment.parse("000000010000000000000007.gz", SIZE)
                        .orElseThrow()
                        .compression());
    }

    @Test
    void historyFilesAndStrayFilesAreNoSegments() {
        assertTrue(WalSegment.parse("00000002.history", SIZE).isEmpty());
        assertTrue(WalSegment.parse("000000010000000000000003.tmp", SIZE).isEmpty());
        assertTrue(WalSegment.parse("00000001000000000000000g", SIZE).isEmpty());
        assertTrue(WalSegment.parse("000000000000000000000003", SIZE).isEmpty(), "timeline 0 does not exist");
        assertTrue(WalSegment.parse("000000010000000000000100", SIZE).isEmpty(), "no 257th segment of 16 MB");
    }

    @Test
    void theSegmentHoldingAnLsnIsFound() {
        assertEquals(
                "0000000300000016000000B3",
                WalSegment.containing(Timeline.of(3), Lsn.parse("16/B374D848"), SIZE)
                        .name(SIZE));
    }

    @Test
    void aSegmentSizeThatIsNoPowerOfTwoIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> WalSegment.parse("000000010000000000000003", 3_000_000));
    }

    @Test
    void aHistoryFileGivesEachAncestorAndItsSwitchPoint() {
        assertEquals(
                Timeline.of(2), TimelineHistory.timelineOf("00000002.history").orElseThrow());
        assertTrue(TimelineHistory.timelineOf("000000010000000000000003").isEmpty());
        TimelineHistory h = TimelineHistory.parse(
                Timeline.of(3),
                "1\t0/5000060\tno recovery target specified\n\n2\t0/7000000\tno recovery target specified\n");
        assertEquals(2, h.ancestors().size());
        assertEquals(
                new TimelineHistory.Switch(Timeline.of(1), Lsn.parse("0/5000060")),
                h.ancestors().getFirst());
        assertTrue(h.descendsFrom(Timeline.of(1)));
        assertEquals("00000003.history", TimelineHistory.fileName(Timeline.of(3)));
    }

    @Test
    void aGarbledHistoryLineIsRefusedWithItsNumber() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> TimelineHistory.parse(Timeline.of(2), "1\tnot-an-lsn\tx\n"));
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TimelineHistory.parse(Timeline.of(2), "2\t0/1\tself\n"));
    }
}
