package io.pgops.maintenance.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Invalid, duplicate and unused indexes. An invalid index that a constraint needs is rebuilt ({@code REINDEX
 * INDEX CONCURRENTLY}); any other invalid index is the leftover of a failed concurrent build and is dropped
 * ({@code DROP INDEX CONCURRENTLY}); one whose table has a build running right now is left alone, since it may
 * be that very build. Duplicates (same table and shape) and unused indexes ({@code idx_scan = 0}, not unique,
 * not backing a constraint) are reported, never dropped.
 */
public final class IndexAdvisor {
    private static final Comparator<IndexStats> KEEP_FIRST = Comparator.comparing(IndexStats::backsConstraint)
            .thenComparing(IndexStats::unique)
            .thenComparingLong(IndexStats::scans)
            .reversed()
            .thenComparing(i -> i.index().text());

    private IndexAdvisor() {}

    /** Invalid first, then duplicates, then unused by size (largest first). */
    public static List<IndexFinding> findings(List<IndexStats> indexes) {
        List<IndexFinding> out = new ArrayList<>();
        for (IndexStats i : indexes) {
            if (!i.valid()) {
                out.add(invalid(i));
            }
        }
        Map<String, List<IndexStats>> byShape = new LinkedHashMap<>();
        for (IndexStats i : indexes) {
            if (i.valid()) {
                byShape.computeIfAbsent(i.table().text() + "|" + i.shape(), k -> new ArrayList<>())
                        .add(i);
            }
        }
        List<IndexFinding> duplicates = new ArrayList<>();
        List<IndexStats> duplicated = new ArrayList<>();
        for (List<IndexStats> same : byShape.values()) {
            if (same.size() > 1) {
                List<IndexStats> sorted = same.stream().sorted(KEEP_FIRST).toList();
                IndexStats kept = sorted.getFirst();
                for (IndexStats d : sorted.subList(1, sorted.size())) {
                    duplicated.add(d);
                    duplicates.add(new IndexFinding(
                            IndexFinding.Kind.DUPLICATE,
                            d.index(),
                            d.table(),
                            d.sizeBytes(),
                            "same table, columns and predicate as "
                                    + kept.index().text() + " (" + Figures.bytes(d.sizeBytes())
                                    + " that every write maintains twice)",
                            null,
                            d.definition()));
                }
            }
        }
        duplicates.sort(Comparator.comparingLong(IndexFinding::sizeBytes).reversed());
        out.addAll(duplicates);
        indexes.stream()
                .filter(i -> i.valid() && i.scans() == 0 && !i.unique() && !i.backsConstraint())
                .filter(i -> !duplicated.contains(i))
                .sorted(Comparator.comparingLong(IndexStats::sizeBytes)
                        .reversed()
                        .thenComparing(i -> i.index().text()))
                .forEach(i -> out.add(new IndexFinding(
                        IndexFinding.Kind.UNUSED,
                        i.index(),
                        i.table(),
                        i.sizeBytes(),
                        "never scanned since the statistics were reset (idx_scan = 0), backs no constraint; "
                                + Figures.bytes(i.sizeBytes()),
                        null,
                        i.definition())));
        return List.copyOf(out);
    }

    /** The tasks a maintenance run takes from the findings: the remedies of invalid indexes. */
    public static List<Task> tasks(List<IndexFinding> findings) {
        return findings.stream()
                .filter(f -> f.remedy() != null)
                .map(f -> new Task(f.remedy(), f.index(), f.reason(), f.sizeBytes(), f.sizeBytes()))
                .toList();
    }

    private static IndexFinding invalid(IndexStats i) {
        TaskKind remedy;
        String reason;
        if (i.buildInProgress()) {
            remedy = null;
            reason = "invalid while a build on " + i.table().text() + " is running: it may be that build; left alone";
        } else if (i.backsConstraint()) {
            remedy = TaskKind.REINDEX;
            reason = "invalid and a constraint needs it: rebuilt with REINDEX INDEX CONCURRENTLY";
        } else {
            remedy = TaskKind.DROP_INVALID_INDEX;
            reason = "invalid, the leftover of a failed concurrent build: no query uses it, writes may still"
                    + " maintain it; dropped with DROP INDEX CONCURRENTLY";
        }
        return new IndexFinding(
                IndexFinding.Kind.INVALID, i.index(), i.table(), i.sizeBytes(), reason, remedy, i.definition());
    }
}
