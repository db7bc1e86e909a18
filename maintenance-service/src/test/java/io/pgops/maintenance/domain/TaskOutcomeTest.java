package io.pgops.maintenance.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TaskOutcomeTest {
    static final ObjectName T = new ObjectName("public", "orders");

    @Test
    void aVacuumReportsDeadTuplesAndSizeBeforeAndAfter() {
        TaskOutcome o = new TaskOutcome(50_000L, 0L, 4_000_000L, 4_000_000L);
        assertEquals(0, o.reclaimedBytes());
        assertEquals(
                "vacuum of public.orders: dead tuples 50,000 -> 0; size 3.8 MiB -> 3.8 MiB",
                o.summary(TaskKind.VACUUM, T));
    }

    @Test
    void aDroppedIndexGivesBackAllOfItsSize() {
        TaskOutcome o = new TaskOutcome(null, null, 16_384L, null);
        assertEquals(16_384, o.reclaimedBytes());
        assertEquals(
                "drop-invalid-index of public.orders: size 16.0 KiB -> dropped",
                o.summary(TaskKind.DROP_INVALID_INDEX, T));
    }

    @Test
    void aTableThatGrewGivesBackNothing() {
        assertEquals(0, new TaskOutcome(0L, 0L, 100L, 200L).reclaimedBytes());
    }
}
