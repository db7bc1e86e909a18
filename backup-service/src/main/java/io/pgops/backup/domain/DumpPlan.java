package io.pgops.backup.domain;

import java.util.List;
import java.util.Set;

/**
 * Which databases a scheduled logical round dumps: every database the node lists as accepting connections and not
 * a template, except the configured exclusions, and never a name holding {@code =} (it would read as a libpq
 * keyword; no such name is dumped, and the reason says so).
 */
public final class DumpPlan {
    private DumpPlan() {}

    /** The databases to dump and, in words, the ones left out. */
    public record Plan(List<String> databases, List<String> leftOut) {}

    public static Plan of(List<String> listed, Set<String> excluded) {
        List<String> dump = listed.stream()
                .filter(d -> !excluded.contains(d))
                .filter(d -> d.indexOf('=') < 0)
                .sorted()
                .toList();
        List<String> out = listed.stream()
                .filter(d -> !dump.contains(d))
                .sorted()
                .map(d -> excluded.contains(d) ? d + " (excluded by pgops.backup.logical.exclude)" : d + " (holds '=')")
                .toList();
        return new Plan(dump, out);
    }
}
