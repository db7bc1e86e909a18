package io.pgops.backup.it;

import io.pgops.stack.testkit.TestStack;
import java.util.Map;

/**
 * The backup service with schedules on for the test cluster: a repository of its own (so the schedule starts from
 * the service's start, with no backup of another test to anchor it), a full backup every 3 s and a restore drill
 * every 5 s, looked at every 200 ms; retention keeps the newest backup (and the newest verified one).
 */
public class ScheduleItConfig extends BackupItConfig {
    static final String REPOSITORY = "scheduled-backups";

    @Override
    protected String repository() {
        return REPOSITORY;
    }

    @Override
    protected Map<String, String> extra(TestStack stack) {
        return Map.of(
                "pgops.backup.schedule.enabled",
                "false",
                "pgops.backup.schedule.clusters.it.enabled",
                "true",
                "pgops.backup.schedule.clusters.it.full",
                "3s",
                "pgops.backup.schedule.clusters.it.drill",
                "5s",
                "pgops.backup.schedule.tick",
                "200ms",
                "pgops.backup.retention.clusters.it.keep-last",
                "1");
    }
}
