package io.pgops.health.domain;

import io.pgops.events.backup.BackupCompleted;
import io.pgops.events.model.ClusterId;
import java.time.Duration;
import java.time.Instant;

/** Backup freshness: a cluster's newest {@code BackupCompleted} must be younger than backup-max-age. */
public final class BackupChecks {
    private BackupChecks() {}

    /**
     * @param last the newest completed backup seen, or null
     * @param watchingSince when this instance started watching the cluster: with no backup seen, the
     *     age counts from there (a fresh instance does not cry wolf before it could have seen one)
     */
    public static CheckResult freshness(
            ClusterId cluster, BackupCompleted last, Instant watchingSince, Instant at, Thresholds t) {
        long limit = t.backupMaxAge().toMillis();
        if (last == null) {
            long watched = Math.max(0, Duration.between(watchingSince, at).toMillis());
            return CheckResult.above(
                    CheckNames.BACKUP_FRESHNESS,
                    Severity.CRITICAL,
                    watched,
                    limit,
                    "milliseconds",
                    "no BackupCompleted of " + cluster + " seen in " + Text.millis(watched) + " of watching (limit "
                            + Text.millis(limit) + ")");
        }
        long age = Math.max(0, Duration.between(last.completedAt(), at).toMillis());
        return CheckResult.above(
                CheckNames.BACKUP_FRESHNESS,
                Severity.CRITICAL,
                age,
                limit,
                "milliseconds",
                "newest backup " + last.backupId() + " (" + last.kind() + ", from " + last.node() + ") completed "
                        + Text.millis(age) + " ago at " + last.completedAt() + " (limit " + Text.millis(limit) + ")");
    }
}
