package io.pgops.backup.service;

import io.pgops.backup.config.BackupConfig;
import io.pgops.backup.domain.CatalogueEntry;
import io.pgops.backup.domain.Recurrence;
import io.pgops.backup.domain.ScheduleDecision;
import io.pgops.events.Requester;
import io.pgops.events.model.ClusterId;
import io.pgops.kit.inventory.Inventory;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Starts each cluster's scheduled full backups and restore drills ({@code pgops.backup.schedule.*}) through the
 * same path as {@code POST /clusters/{id}/backups}: {@code BackupRequested} with principal {@value #PRINCIPAL},
 * then the backup's own events. Every {@code tick} each schedule is asked {@link ScheduleDecision#decide}; a run
 * that comes due while a backup or drill of the cluster is queued or running is skipped, and the log says so.
 */
@Startup
@ApplicationScoped
public class BackupSchedules {
    /** The principal of scheduled runs, in {@code BackupRequested} and the events' {@code pgopsprincipal}. */
    public static final String PRINCIPAL = "pgops-scheduler";

    private static final Logger LOG = Logger.getLogger(BackupSchedules.class);
    private static final Requester SCHEDULER = new Requester(PRINCIPAL, List.of());

    /** One schedule of one cluster and when it last came due. */
    static final class Entry {
        final ClusterId cluster;
        final boolean drill;
        final Recurrence recurrence;
        Instant last;

        Entry(ClusterId cluster, boolean drill, Recurrence recurrence, Instant last) {
            this.cluster = cluster;
            this.drill = drill;
            this.recurrence = recurrence;
            this.last = last;
        }

        String what() {
            return (drill ? "restore drill of the newest backup of " : "full backup of ") + cluster.value();
        }
    }

    private final BackupRunner runner;
    private final List<Entry> entries = new ArrayList<>();

    public BackupSchedules(BackupConfig config, Inventory inventory, BackupRunner runner) {
        this.runner = runner;
        BackupConfig.Schedule s = config.schedule();
        s.clusters().keySet().stream()
                .filter(id -> !inventory.clusters().containsKey(id))
                .findFirst()
                .ifPresent(id -> {
                    throw new IllegalStateException("pgops.backup.schedule.clusters." + id
                            + " names a cluster that is not in the inventory (pgops.clusters.*)");
                });
        Instant now = Instant.now();
        for (String id : inventory.clusters().keySet()) {
            Optional<BackupConfig.Schedule.ClusterSchedule> own =
                    Optional.ofNullable(s.clusters().get(id));
            if (!own.flatMap(BackupConfig.Schedule.ClusterSchedule::enabled).orElse(s.enabled())) {
                continue;
            }
            ClusterId cluster = ClusterId.of(id);
            String full =
                    own.flatMap(BackupConfig.Schedule.ClusterSchedule::full).orElse(s.full());
            String drill =
                    own.flatMap(BackupConfig.Schedule.ClusterSchedule::drill).orElse(s.drill());
            Instant newest = newestBackupStart(cluster).orElse(now);
            add(new Entry(cluster, false, parse(id, "full", full).orElse(null), newest));
            add(new Entry(cluster, true, parse(id, "drill", drill).orElse(null), now));
        }
    }

    @Scheduled(
            identity = "backup-schedules",
            every = "${pgops.backup.schedule.tick:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        tick(Instant.now());
    }

    private void add(Entry e) {
        if (e.recurrence == null) {
            LOG.infof("cluster %s: no schedule for the %s", e.cluster.value(), e.what());
            return;
        }
        entries.add(e);
        LOG.infof("cluster %s: %s %s", e.cluster.value(), e.what(), e.recurrence.describe());
    }

    private static Optional<Recurrence> parse(String id, String key, String text) {
        try {
            return Recurrences.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "pgops.backup.schedule (" + key + ") of cluster " + id + ": " + e.getMessage());
        }
    }

    private Optional<Instant> newestBackupStart(ClusterId cluster) {
        try {
            return runner.list(cluster, Optional.empty()).stream()
                    .map(CatalogueEntry::startedAt)
                    .max(Instant::compareTo);
        } catch (RuntimeException e) {
            LOG.warnf("cluster %s: the catalogue could not be read (%s): schedules start from now", cluster, e);
            return Optional.empty();
        }
    }

    /** Looks at every schedule once with the clock's reading {@code now}. */
    void tick(Instant now) {
        for (Entry e : entries) {
            ScheduleDecision.Decision d =
                    ScheduleDecision.decide(e.what(), e.recurrence, e.last, now, runner.busy(e.cluster));
            switch (d.action()) {
                case WAIT -> {}
                case SKIP -> {
                    e.last = now;
                    LOG.warnf("cluster %s: %s", e.cluster.value(), d.reason());
                }
                case RUN -> {
                    e.last = now;
                    start(e, d.reason());
                }
            }
        }
    }

    private void start(Entry e, String reason) {
        try {
            if (e.drill) {
                Optional<BackupRunner.Accepted> a = runner.drill(e.cluster, SCHEDULER);
                LOG.infof(
                        "cluster %s: %s: %s",
                        e.cluster.value(),
                        reason,
                        a.map(x -> "drill of " + x.backupId() + ", correlation " + x.correlationId())
                                .orElse("no backup to drill yet"));
            } else {
                BackupRunner.Accepted a =
                        runner.request(e.cluster, Optional.empty(), reason, false, Optional.empty(), SCHEDULER);
                LOG.infof(
                        "cluster %s: %s: backup %s from %s, correlation %s",
                        e.cluster.value(), reason, a.backupId(), a.node(), a.correlationId());
            }
        } catch (RuntimeException x) {
            LOG.errorf("cluster %s: %s could not start: %s", e.cluster.value(), e.what(), x.getMessage());
        }
    }
}
