package io.pgops.maintenance.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class IndexAdvisorTest {
    static final ObjectName T = new ObjectName("public", "orders");

    static IndexStats index(String name, long scans, boolean valid, boolean unique, boolean constraint, String shape) {
        return new IndexStats(
                new ObjectName("public", name),
                T,
                scans,
                8192L * 10,
                valid,
                unique,
                constraint,
                false,
                shape,
                "def " + name);
    }

    @Test
    void anUnusedIndexBackingNoConstraintIsReportedButNeverDropped() {
        List<IndexFinding> f = IndexAdvisor.findings(List.of(index("orders_note_idx", 0, true, false, false, "3")));
        assertEquals(IndexFinding.Kind.UNUSED, f.getFirst().kind());
        assertNull(f.getFirst().remedy());
        assertTrue(IndexAdvisor.tasks(f).isEmpty());
    }

    @Test
    void anUnscannedPrimaryKeyOrUniqueIndexIsNotUnusedBecauseItEnforcesSomething() {
        assertTrue(IndexAdvisor.findings(List.of(
                        index("orders_pkey", 0, true, true, true, "1"),
                        index("orders_code_key", 0, true, true, false, "2")))
                .isEmpty());
    }

    @Test
    void twoIndexesWithTheSameShapeOnOneTableMakeOneDuplicateAndTheConstraintsIndexIsKept() {
        List<IndexFinding> f = IndexAdvisor.findings(List.of(
                index("orders_id_idx", 5, true, false, false, "1 ||"),
                index("orders_pkey", 1, true, true, true, "1 ||")));
        assertEquals(1, f.size());
        assertEquals(IndexFinding.Kind.DUPLICATE, f.getFirst().kind());
        assertEquals("orders_id_idx", f.getFirst().index().name());
        assertTrue(f.getFirst().reason().startsWith("same table, columns and predicate as public.orders_pkey"));
    }

    @Test
    void theSameColumnsWithADifferentPredicateAreNoDuplicate() {
        assertTrue(IndexAdvisor.findings(List.of(
                        index("a", 3, true, false, false, "2 || (status = 'open')"),
                        index("b", 3, true, false, false, "2 ||")))
                .isEmpty());
    }

    @Test
    void anInvalidLeftoverOfAFailedConcurrentBuildIsDropped() {
        List<IndexFinding> f = IndexAdvisor.findings(List.of(index("orders_code_uq", 0, false, true, false, "2")));
        assertEquals(IndexFinding.Kind.INVALID, f.getFirst().kind());
        assertEquals(TaskKind.DROP_INVALID_INDEX, f.getFirst().remedy());
        assertEquals(
                TaskKind.DROP_INVALID_INDEX, IndexAdvisor.tasks(f).getFirst().kind());
    }

    @Test
    void anInvalidIndexAConstraintNeedsIsRebuiltConcurrently() {
        List<IndexFinding> f = IndexAdvisor.findings(List.of(index("orders_pkey", 0, false, true, true, "1")));
        assertEquals(TaskKind.REINDEX, f.getFirst().remedy());
    }

    @Test
    void anInvalidIndexWhoseTableHasABuildRunningIsLeftAlone() {
        IndexStats building =
                new IndexStats(new ObjectName("public", "new_idx"), T, 0, 0, false, false, false, true, "4", "def");
        List<IndexFinding> f = IndexAdvisor.findings(List.of(building));
        assertNull(f.getFirst().remedy());
        assertTrue(f.getFirst().reason().contains("left alone"));
    }
}
