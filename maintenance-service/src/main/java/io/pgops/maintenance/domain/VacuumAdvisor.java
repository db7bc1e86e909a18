package io.pgops.maintenance.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which tables need {@code VACUUM (ANALYZE)} (dead tuples past the ratio) and which only {@code ANALYZE}
 * (statistics stale: many modifications since the last analyze, or never analyzed). A table that is vacuumed
 * is analyzed by the same statement, so it never gets a second task.
 */
public final class VacuumAdvisor {
    private VacuumAdvisor() {}

    /** The tasks, the most dead tuples (then the most modifications) first. */
    public static List<Task> candidates(List<TableStats> tables, VacuumPolicy policy) {
        List<Task> vacuums = new ArrayList<>();
        List<Task> analyzes = new ArrayList<>();
        for (TableStats t : tables) {
            double deadRatio = (double) t.deadTuples() / Math.max(1, t.liveTuples());
            double modRatio = (double) t.modificationsSinceAnalyze() / Math.max(1, t.liveTuples());
            if (t.deadTuples() >= policy.minDeadTuples() && deadRatio > policy.deadRatio()) {
                vacuums.add(new Task(
                        TaskKind.VACUUM,
                        t.table(),
                        Figures.count(t.deadTuples()) + " dead tuples are " + Figures.percent(deadRatio) + " of "
                                + Figures.count(t.liveTuples()) + " live (limit " + Figures.percent(policy.deadRatio())
                                + ", at least " + Figures.count(policy.minDeadTuples()) + ")",
                        t.deadTuples(),
                        t.sizeBytes()));
            } else if (t.modificationsSinceAnalyze() >= policy.minModifications() && modRatio > policy.analyzeRatio()) {
                analyzes.add(new Task(
                        TaskKind.ANALYZE,
                        t.table(),
                        Figures.count(t.modificationsSinceAnalyze()) + " rows modified since the last analyze are "
                                + Figures.percent(modRatio) + " of " + Figures.count(t.liveTuples()) + " live (limit "
                                + Figures.percent(policy.analyzeRatio()) + ", at least "
                                + Figures.count(policy.minModifications()) + ")",
                        t.modificationsSinceAnalyze(),
                        t.sizeBytes()));
            } else if (!t.everAnalyzed() && t.liveTuples() >= policy.minModifications()) {
                analyzes.add(new Task(
                        TaskKind.ANALYZE,
                        t.table(),
                        "never analyzed with " + Figures.count(t.liveTuples()) + " live tuples: the planner guesses",
                        t.liveTuples(),
                        t.sizeBytes()));
            }
        }
        Comparator<Task> heaviest = Comparator.comparingLong(Task::weight)
                .reversed()
                .thenComparing(task -> task.target().text());
        vacuums.sort(heaviest);
        analyzes.sort(heaviest);
        List<Task> all = new ArrayList<>(vacuums);
        all.addAll(analyzes);
        return List.copyOf(all);
    }
}
