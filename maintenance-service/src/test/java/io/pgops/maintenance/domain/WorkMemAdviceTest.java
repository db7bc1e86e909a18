package io.pgops.maintenance.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WorkMemAdviceTest {
    static final long MB = 1024 * 1024;
    static final long CAP = 256 * MB;

    @Test
    void noTemporaryFilesKeepTheCurrentSetting() {
        WorkMemAdvice a = WorkMemAdvice.of(0, 0, 4 * MB, 100, CAP);
        assertFalse(a.change());
        assertEquals(4 * MB, a.recommendedBytes());
    }

    @Test
    void spillsOfFiveMegabytesOnAverageRecommendSixteenMegabytesWithTheWorstCase() {
        WorkMemAdvice a = WorkMemAdvice.of(10, 50 * MB, 4 * MB, 100, CAP);
        assertTrue(a.change());
        assertEquals(16 * MB, a.recommendedBytes());
        assertEquals(5 * MB, a.averageSpillBytes());
        assertEquals(1600 * MB, a.worstCaseBytes());
        assertTrue(a.reason().contains("set work_mem = '16384kB'"), a.reason());
    }

    @Test
    void hugeSpillsAreCappedAndTheReasonSaysTheCapHeldItBack() {
        WorkMemAdvice a = WorkMemAdvice.of(2, 4096 * MB, 4 * MB, 50, CAP);
        assertEquals(CAP, a.recommendedBytes());
        assertTrue(a.reason().contains("as far as the cap"), a.reason());
    }

    @Test
    void aSettingAlreadyAboveTheCapIsNeverLowered() {
        WorkMemAdvice a = WorkMemAdvice.of(2, 4096 * MB, 512 * MB, 50, CAP);
        assertFalse(a.change());
        assertEquals(512 * MB, a.recommendedBytes());
        assertTrue(a.reason().contains("look at the queries"), a.reason());
    }

    @Test
    void powersOfTwoRoundUp() {
        assertEquals(8, WorkMemAdvice.powerOfTwoAtLeast(5));
        assertEquals(8, WorkMemAdvice.powerOfTwoAtLeast(8));
    }
}
