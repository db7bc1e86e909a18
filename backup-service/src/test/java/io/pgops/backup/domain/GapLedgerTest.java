package io.pgops.backup.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.backup.WalArchiveGapDetected;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.Timeline;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GapLedgerTest {
    static final long SIZE = WalSegment.DEFAULT_SIZE;
    static final Timeline T1 = Timeline.of(1);
    static final ClusterId MAIN = ClusterId.of("main");
    static final Instant NOW = Instant.parse("2026-12-06T17:00:00Z");

    static WalGaps.Report withGap(long firstMissing, long count) {
        return new WalGaps.Report(
                List.of(), List.of(new WalGaps.Gap(T1, firstMissing, count, Optional.of(firstMissing - 1))), "");
    }

    @Test
    void aGapIsReportedOnceHoweverOftenTheArchiveIsChecked() {
        GapLedger ledger = new GapLedger();
        List<WalArchiveGapDetected> first = ledger.newGaps(MAIN, "/repo/main/wal", withGap(5, 2), SIZE, NOW);
        assertEquals(1, first.size());
        WalArchiveGapDetected e = first.getFirst();
        assertEquals("000000010000000000000005", e.firstMissingSegment());
        assertEquals(2, e.missingSegments());
        assertEquals(Lsn.parse("0/5000000"), e.gapStartLsn());
        assertEquals("000000010000000000000004", e.lastArchivedSegment());
        assertTrue(e.reason().contains("take a new base backup"), e.reason());
        assertEquals(List.of(), ledger.newGaps(MAIN, "/repo/main/wal", withGap(5, 2), SIZE, NOW));
    }

    @Test
    void aGapThatClosedAndOpenedAgainIsReportedAgain() {
        GapLedger ledger = new GapLedger();
        ledger.newGaps(MAIN, "/repo", withGap(5, 1), SIZE, NOW);
        assertEquals(List.of(), ledger.newGaps(MAIN, "/repo", new WalGaps.Report(List.of(), List.of(), ""), SIZE, NOW));
        assertEquals(1, ledger.newGaps(MAIN, "/repo", withGap(5, 1), SIZE, NOW).size());
    }

    @Test
    void aSecondGapIsReportedWithoutRepeatingTheFirst() {
        GapLedger ledger = new GapLedger();
        ledger.newGaps(MAIN, "/repo", withGap(5, 1), SIZE, NOW);
        WalGaps.Report both = new WalGaps.Report(
                List.of(),
                List.of(new WalGaps.Gap(T1, 5, 1, Optional.of(4L)), new WalGaps.Gap(T1, 9, 1, Optional.of(8L))),
                "");
        List<WalArchiveGapDetected> out = ledger.newGaps(MAIN, "/repo", both, SIZE, NOW);
        assertEquals(1, out.size());
        assertEquals("000000010000000000000009", out.getFirst().firstMissingSegment());
    }
}
