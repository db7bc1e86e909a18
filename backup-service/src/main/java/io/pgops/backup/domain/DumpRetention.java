package io.pgops.backup.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which scheduled logical dumps go: per database, the newest {@code keepLast} full dumps stay, and so does every full
 * dump younger than {@code keepFor}; a dump goes only when both let it go. The newest full dump of each database always
 * stays, whatever the numbers say. Schema-only dumps (the pre-migration backups, a migration's way back) are never
 * touched here. Pure.
 */
public final class DumpRetention {
    private DumpRetention() {}

    /** One dump's verdict and why, in words. */
    public record Verdict(DumpEntry dump, boolean keep, String reason) {}

    /**
     * @param dumps the cluster's dumps, in any order
     * @param keepLast full dumps kept per database by count (at least 1)
     * @param keepFor full dumps younger than this are kept; empty: count only
     * @return a verdict for every full dump, oldest first
     */
    public static List<Verdict> decide(List<DumpEntry> dumps, int keepLast, Optional<Duration> keepFor, Instant now) {
        if (keepLast < 1) {
            throw new IllegalArgumentException("keep-last must be at least 1 (the newest dump of a database stays)");
        }
        Map<String, List<DumpEntry>> byDatabase = new LinkedHashMap<>();
        dumps.stream()
                .filter(d -> DumpEntry.FULL.equals(d.scope()))
                .sorted(Comparator.comparing(DumpEntry::completedAt).reversed())
                .forEach(d -> byDatabase
                        .computeIfAbsent(d.database(), k -> new ArrayList<>())
                        .add(d));
        List<Verdict> out = new ArrayList<>();
        for (List<DumpEntry> newestFirst : byDatabase.values()) {
            for (int i = 0; i < newestFirst.size(); i++) {
                DumpEntry d = newestFirst.get(i);
                if (i == 0) {
                    out.add(new Verdict(d, true, "the newest dump of database " + d.database()));
                } else if (i < keepLast) {
                    out.add(new Verdict(d, true, "among the newest " + keepLast + " of database " + d.database()));
                } else if (keepFor.isPresent() && d.completedAt().isAfter(now.minus(keepFor.get()))) {
                    out.add(new Verdict(d, true, "younger than " + keepFor.get().toHours() + " h"));
                } else {
                    out.add(new Verdict(
                            d,
                            false,
                            "older than the newest " + keepLast + " dumps of database " + d.database()
                                    + keepFor.map(k -> " and than " + k.toHours() + " h")
                                            .orElse("")));
                }
            }
        }
        out.sort(Comparator.comparing(v -> v.dump().completedAt()));
        return out;
    }
}
