package io.pgops.maintenance.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskPlannerTest {
    static final long MB = 1024 * 1024;
    static final Instant NOW = Instant.parse("2026-12-06T02:00:00Z");

    static Task task(TaskKind kind, String name, long weight, long size) {
        return new Task(kind, new ObjectName("public", name), "why", weight, size);
    }

    @Test
    void invalidIndexesAreDroppedFirstThenRebuildsThenTheMostDeadTuplesThenAnalyzes() {
        List<Task> plan = TaskPlanner.plan(List.of(
                task(TaskKind.ANALYZE, "c", 10, 0),
                task(TaskKind.VACUUM, "a", 10, 0),
                task(TaskKind.VACUUM, "b", 99, 0),
                task(TaskKind.REINDEX, "pk", 0, 0),
                task(TaskKind.DROP_INVALID_INDEX, "leftover", 0, 0)));
        assertEquals(
                List.of("leftover", "pk", "b", "a", "c"),
                plan.stream().map(t -> t.target().name()).toList());
    }

    @Test
    void anAnalyzeOfATableThatIsVacuumedIsDropped() {
        List<Task> plan =
                TaskPlanner.plan(List.of(task(TaskKind.ANALYZE, "t", 1, 0), task(TaskKind.VACUUM, "t", 1, 0)));
        assertEquals(1, plan.size());
        assertEquals(TaskKind.VACUUM, plan.getFirst().kind());
    }

    @Test
    void aTaskThatFitsTheWindowStarts() {
        TaskPlanner.Decision d =
                TaskPlanner.next(task(TaskKind.VACUUM, "t", 1, 100 * MB), NOW, NOW.plusSeconds(60), 50 * MB);
        assertTrue(d.start(), d.reason());
    }

    @Test
    void aTaskThatWouldOverrunTheWindowWaitsForTheNextOneAndSaysWhy() {
        TaskPlanner.Decision d =
                TaskPlanner.next(task(TaskKind.VACUUM, "big", 1, 10_000 * MB), NOW, NOW.plusSeconds(60), 50 * MB);
        assertFalse(d.start());
        assertEquals(
                "vacuum of public.big (9.8 GiB) would take about 200 s but the window has 60 s left; it waits for the"
                        + " next one",
                d.reason());
    }

    @Test
    void nothingStartsOnceTheWindowHasEnded() {
        TaskPlanner.Decision d = TaskPlanner.next(task(TaskKind.ANALYZE, "t", 1, 0), NOW, NOW, 50 * MB);
        assertFalse(d.start());
        assertTrue(d.reason().startsWith("the window ended at 2026-12-06T02:00:00Z"), d.reason());
    }
}
