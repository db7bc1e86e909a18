package io.pgops.backup.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pgops.events.model.NodeName;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DumpPlanTest {

    @Test
    void dumpsEveryListedDatabaseButTheExcludedOnesAndSaysWhichWereLeftOut() {
        DumpPlan.Plan p = DumpPlan.of(List.of("orders", "postgres", "scratch", "a=b"), Set.of("scratch"));
        assertEquals(List.of("orders", "postgres"), p.databases());
        assertEquals(List.of("a=b (holds '=')", "scratch (excluded by pgops.backup.logical.exclude)"), p.leftOut());
    }

    @Test
    void aFullDumpIdSaysFullAndAnUnknownScopeIsRefused() {
        Instant t = Instant.parse("2026-12-06T23:00:00Z");
        assertEquals(
                "20261206T230000000Z-node2-full",
                DumpEntry.idFor(t, NodeName.of("node2"), DumpEntry.FULL).value());
        assertThrows(IllegalArgumentException.class, () -> DumpEntry.idFor(t, NodeName.of("node2"), "data"));
    }
}
