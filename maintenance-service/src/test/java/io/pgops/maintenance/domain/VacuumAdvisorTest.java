package io.pgops.maintenance.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class VacuumAdvisorTest {
    static TableStats table(String name, long live, long dead, long mods, boolean analyzed) {
        return new TableStats(new ObjectName("public", name), live, dead, mods, analyzed, 8192L * 100);
    }

    @Test
    void aTableWithMoreThanTenPercentDeadTuplesIsVacuumedAndSaysSoWithTheNumbers() {
        List<Task> tasks =
                VacuumAdvisor.candidates(List.of(table("orders", 50_000, 51_000, 51_000, true)), VacuumPolicy.DEFAULT);
        assertEquals(1, tasks.size());
        assertEquals(TaskKind.VACUUM, tasks.getFirst().kind());
        assertEquals(
                "51,000 dead tuples are 102% of 50,000 live (limit 10%, at least 1,000)",
                tasks.getFirst().reason());
    }

    @Test
    void aTableAtTenPercentOrBelowIsLeftToAutovacuum() {
        assertTrue(VacuumAdvisor.candidates(List.of(table("t", 100_000, 10_000, 0, true)), VacuumPolicy.DEFAULT)
                .isEmpty());
    }

    @Test
    void aSmallTableWithFewDeadTuplesIsNotVacuumedWhateverItsRatio() {
        assertTrue(VacuumAdvisor.candidates(List.of(table("tiny", 10, 900, 0, true)), VacuumPolicy.DEFAULT)
                .isEmpty());
    }

    @Test
    void manyModificationsSinceTheLastAnalyzeMakeStaleStatisticsAndAnAnalyze() {
        List<Task> tasks =
                VacuumAdvisor.candidates(List.of(table("t", 100_000, 0, 20_000, true)), VacuumPolicy.DEFAULT);
        assertEquals(TaskKind.ANALYZE, tasks.getFirst().kind());
        assertTrue(tasks.getFirst().reason().startsWith("20,000 rows modified since the last analyze are 20%"));
    }

    @Test
    void aTableNeverAnalyzedWithRowsIsAnalyzed() {
        List<Task> tasks = VacuumAdvisor.candidates(List.of(table("fresh", 5_000, 0, 0, false)), VacuumPolicy.DEFAULT);
        assertEquals(TaskKind.ANALYZE, tasks.getFirst().kind());
        assertTrue(tasks.getFirst().reason().startsWith("never analyzed"));
    }

    @Test
    void aVacuumedTableGetsNoSecondAnalyzeAndTheMostDeadTuplesComeFirst() {
        List<Task> tasks = VacuumAdvisor.candidates(
                List.of(table("a", 10_000, 2_000, 50_000, true), table("b", 10_000, 9_000, 50_000, true)),
                VacuumPolicy.DEFAULT);
        assertEquals(
                List.of("public.b", "public.a"),
                tasks.stream().map(t -> t.target().text()).toList());
        assertTrue(tasks.stream().allMatch(t -> t.kind() == TaskKind.VACUUM));
    }

    @Test
    void aStricterPolicyPerClusterMovesTheLine() {
        VacuumPolicy strict = new VacuumPolicy(0.05, 100, 0.10, 1000);
        assertEquals(
                1,
                VacuumAdvisor.candidates(List.of(table("t", 10_000, 600, 0, true)), strict)
                        .size());
    }
}
