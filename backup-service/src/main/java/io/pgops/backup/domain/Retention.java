package io.pgops.backup.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which backups of a cluster retention keeps and which it deletes, each with the reason in words. Pure: the clock
 * and the backups in use are passed in.
 *
 * <p>A backup is kept when a rule of the policy keeps it (one of the newest N; completed within the last D days, or
 * the newest one completed before that window, from which a point-in-time restore to the window's start begins),
 * when a restore is using it, or when it is the newest verified backup (so the only backup a restore can trust is
 * never deleted, however old). Everything else goes.
 */
public final class Retention {
    private Retention() {}

    /**
     * @param backup the backup
     * @param keep whether it stays
     * @param reason why, in words
     */
    public record Verdict(CatalogueEntry backup, boolean keep, String reason) {}

    /**
     * @param backups the cluster's catalogue (any order)
     * @param policy the cluster's policy
     * @param now the clock's reading
     * @param inUse backups a restore or drill is using now
     * @return one verdict per backup, oldest first
     */
    public static List<Verdict> decide(
            List<CatalogueEntry> backups, RetentionPolicy policy, Instant now, Set<BackupId> inUse) {
        List<CatalogueEntry> newestFirst = backups.stream()
                .sorted(Comparator.comparing(CatalogueEntry::id).reversed())
                .toList();
        Optional<BackupId> newestVerified = newestFirst.stream()
                .filter(e -> Verification.VERIFIED.equals(e.verification().state()))
                .map(CatalogueEntry::id)
                .findFirst();
        Optional<Instant> windowStart = policy.keepDays().stream()
                .mapToObj(d -> now.minus(Duration.ofDays(d)))
                .findFirst();
        Optional<BackupId> windowBase = windowStart.flatMap(start -> newestFirst.stream()
                .filter(e -> !e.completedAt().isAfter(start))
                .map(CatalogueEntry::id)
                .findFirst());
        List<Verdict> out = new ArrayList<>();
        for (int i = 0; i < newestFirst.size(); i++) {
            CatalogueEntry e = newestFirst.get(i);
            out.add(0, verdict(e, i, policy, windowStart, windowBase, newestVerified, inUse));
        }
        return List.copyOf(out);
    }

    private static Verdict verdict(
            CatalogueEntry e,
            int age,
            RetentionPolicy policy,
            Optional<Instant> windowStart,
            Optional<BackupId> windowBase,
            Optional<BackupId> newestVerified,
            Set<BackupId> inUse) {
        if (policy.keepsEverything()) {
            return new Verdict(e, true, "no retention rule is set");
        }
        if (inUse.contains(e.id())) {
            return new Verdict(e, true, "a restore is using it");
        }
        if (policy.keepLast().isPresent() && age < policy.keepLast().getAsInt()) {
            return new Verdict(e, true, "one of the newest " + policy.keepLast().getAsInt() + " backups");
        }
        if (windowStart.isPresent() && e.completedAt().isAfter(windowStart.get())) {
            return new Verdict(
                    e, true, "completed within the last " + policy.keepDays().getAsInt() + " days");
        }
        if (windowBase.equals(Optional.of(e.id()))) {
            return new Verdict(
                    e,
                    true,
                    "the newest backup before the " + policy.keepDays().getAsInt()
                            + "-day window: a point-in-time restore to the window's start begins from it");
        }
        if (newestVerified.equals(Optional.of(e.id()))) {
            return new Verdict(e, true, "the newest verified backup (none of the newer ones is verified)");
        }
        List<String> why = new ArrayList<>();
        policy.keepLast().ifPresent(n -> why.add("older than the newest " + n + " backups"));
        policy.keepDays().ifPresent(d -> why.add("completed before the last " + d + " days"));
        return new Verdict(e, false, String.join(" and ", why));
    }
}
