package io.pgops.backup.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Which full backups of a cluster are kept: the newest {@code keepLast}, and/or every one completed within the last
 * {@code keepDays} days (a backup either rule keeps is kept). Neither set: every backup is kept.
 *
 * @param keepLast how many of the newest backups to keep, {@code >= 1}
 * @param keepDays the window, days, {@code >= 1}
 */
public record RetentionPolicy(OptionalInt keepLast, OptionalInt keepDays) {
    public RetentionPolicy {
        if (keepLast.isPresent() && keepLast.getAsInt() < 1) {
            throw new IllegalArgumentException("keep-last must be at least 1 but was " + keepLast.getAsInt());
        }
        if (keepDays.isPresent() && keepDays.getAsInt() < 1) {
            throw new IllegalArgumentException("keep-days must be at least 1 but was " + keepDays.getAsInt());
        }
    }

    public static RetentionPolicy keepAll() {
        return new RetentionPolicy(OptionalInt.empty(), OptionalInt.empty());
    }

    /** No rule is set: retention deletes nothing. */
    public boolean keepsEverything() {
        return keepLast.isEmpty() && keepDays.isEmpty();
    }

    /** In words: {@code keep the newest 7 backups and every backup of the last 14 days}. */
    public String describe() {
        if (keepsEverything()) {
            return "keep every backup (no retention rule set)";
        }
        List<String> rules = new ArrayList<>();
        keepLast.ifPresent(n -> rules.add("the newest " + n + " backup" + (n == 1 ? "" : "s")));
        keepDays.ifPresent(d -> rules.add("every backup of the last " + d + " day" + (d == 1 ? "" : "s")));
        return "keep " + String.join(" and ", rules);
    }
}
