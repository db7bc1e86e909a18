package io.pgops.maintenance.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class IndexBloatEstimateTest {
    static final ObjectName I = new ObjectName("public", "t_pkey");
    static final ObjectName T = new ObjectName("public", "t");

    static IndexBloatEstimate.Facts facts(long pages, double tuples, Integer width, boolean valid) {
        return new IndexBloatEstimate.Facts(I, T, pages, tuples, width, 90, 8192, valid);
    }

    @Test
    void anIntegerKeyIndexOfFourTimesTheLeafPagesItsEntriesNeedIsThreeQuartersBloat() {
        // int4 key: 4 + align8(8 + 4) = 20 bytes; (8192 - 40) * 0.9 = 7336 usable -> 366 per page;
        // 36,600 entries need 100 leaf pages + the metapage
        IndexBloatEstimate b = IndexBloatEstimate.of(facts(404, 36_600, 4, true));
        assertEquals(101L * 8192, b.expectedBytes());
        assertEquals(303L * 8192, b.bloatBytes());
        assertEquals(0.75, b.bloatRatio(), 1e-9);
    }

    @Test
    void aFreshlyBuiltIndexHasNoBloat() {
        assertEquals(0, IndexBloatEstimate.of(facts(101, 36_600, 4, true)).bloatBytes());
    }

    @Test
    void invalidIndexesAndIndexesWithoutStatisticsAreNotEstimated() {
        assertNull(IndexBloatEstimate.of(facts(404, 36_600, 4, false)));
        assertNull(IndexBloatEstimate.of(facts(404, 36_600, null, true)));
        assertNull(IndexBloatEstimate.of(facts(404, -1, 4, true)));
    }

    @Test
    void plansAReindexOnlyAboveBothTheRatioAndTheMinimumBytes() {
        List<Task> tasks = IndexBloatEstimate.reindexTasks(
                List.of(facts(404, 36_600, 4, true), facts(130, 36_600, 4, true), facts(404, 36_600, 4, true)),
                1024 * 1024,
                0.30);
        assertEquals(2, tasks.size());
        assertEquals(TaskKind.REINDEX, tasks.getFirst().kind());
        assertEquals(
                "estimated 2.4 MiB of bloat, 75% of its 3.2 MiB (limit 30%, at least 1.0 MiB)",
                tasks.getFirst().reason());
        assertTrue(IndexBloatEstimate.reindexTasks(List.of(facts(404, 36_600, 4, true)), 1024 * 1024, 0.80)
                .isEmpty());
    }
}
