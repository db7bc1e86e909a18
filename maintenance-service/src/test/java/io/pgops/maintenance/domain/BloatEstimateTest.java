package io.pgops.maintenance.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BloatEstimateTest {
    static final ObjectName T = new ObjectName("public", "t");

    @Test
    void aTableTwiceTheSizeItsRowsNeedIsHalfBloat() {
        // 36-byte rows: 24+4 overhead + 40 aligned = 68 bytes, 120 rows per 8 KiB page; 12,000 rows need 100 pages
        BloatEstimate b = BloatEstimate.of(new BloatEstimate.Facts(T, 200, 12_000, 36, 100, 8192));
        assertEquals(100L * 8192, b.expectedBytes());
        assertEquals(100L * 8192, b.bloatBytes());
        assertEquals(0.5, b.bloatRatio(), 1e-9);
    }

    @Test
    void aTightTableHasNoBloat() {
        BloatEstimate b = BloatEstimate.of(new BloatEstimate.Facts(T, 100, 12_000, 36, 100, 8192));
        assertEquals(0, b.bloatBytes());
    }

    @Test
    void aTableWithoutStatisticsIsNotEstimated() {
        assertNull(BloatEstimate.of(new BloatEstimate.Facts(T, 100, -1, null, 100, 8192)));
        assertTrue(BloatEstimate.ranked(List.of(new BloatEstimate.Facts(T, 100, 5, null, 100, 8192)), 0)
                .isEmpty());
    }

    @Test
    void aLowerFillFactorExpectsMorePages() {
        BloatEstimate b = BloatEstimate.of(new BloatEstimate.Facts(T, 200, 12_000, 36, 50, 8192));
        assertTrue(b.expectedBytes() >= 200L * 8192 - 8192, "expected " + b.expectedBytes());
    }
}
