package io.pgops.backup.service;

import io.pgops.backup.config.BackupConfig;
import io.pgops.backup.domain.DumpEntry;
import io.pgops.backup.domain.DumpPlan;
import io.pgops.backup.domain.DumpRetention;
import io.pgops.backup.domain.Recurrence;
import io.pgops.backup.domain.RepositoryLayout;
import io.pgops.backup.domain.ScheduleDecision;
import io.pgops.backup.messaging.BackupEventPublisher;
import io.pgops.events.EventIds;
import io.pgops.events.backup.BackupCompleted;
import io.pgops.events.backup.BackupEvent;
import io.pgops.events.backup.BackupExpired;
import io.pgops.events.backup.BackupFailed;
import io.pgops.events.backup.BackupKind;
import io.pgops.events.backup.BackupRequested;
import io.pgops.events.backup.BackupStarted;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Timeline;
import io.pgops.kit.inventory.Inventory;
import io.pgops.kit.inventory.Passwords;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Scheduled logical backups: on each cluster's schedule ({@code pgops.backup.logical.schedule}, 6 h by default, or
 * a cron expression; {@code clusters.<id>.schedule} per cluster) each of its databases is dumped from its primary
 * with {@code pg_dump -Fc}, read back with {@code pg_restore --list} and catalogued beside the pre-migration dumps;
 * per database {@code BackupRequested} (principal {@code scheduler}), {@code BackupStarted}, then {@code
 * BackupCompleted} or {@code BackupFailed}, kind {@code logical}, under a correlation id of its own. The schedules
 * are asked {@link ScheduleDecision#decide} every {@code tick}; one round at a time, on a thread of its own (a long
 * base backup does not hold it), so a round that comes due while another runs starts when that one ends.
 */
@ApplicationScoped
public class ScheduledDumps {
    private static final Logger LOG = Logger.getLogger(ScheduledDumps.class);
    private static final Timeline NO_TIMELINE = Timeline.of(1);

    private final Inventory inventory;
    private final BackupConfig config;
    private final BackupEventPublisher publisher;
    private final Primaries primaries;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("logical-dumps").factory());

    private final Repositories repositories;

    public ScheduledDumps(
            Inventory inventory,
            BackupConfig config,
            BackupEventPublisher publisher,
            Primaries primaries,
            Repositories repositories) {
        this.repositories = repositories;
        this.inventory = inventory;
        this.config = config;
        this.publisher = publisher;
        this.primaries = primaries;
    }

    /** One cluster's schedule and when it last came due. */
    private static final class Entry {
        final ClusterId cluster;
        final Inventory.Cluster inventory;
        final Recurrence recurrence;
        Instant last;

        Entry(ClusterId cluster, Inventory.Cluster inventory, Recurrence recurrence, Instant last) {
            this.cluster = cluster;
            this.inventory = inventory;
            this.recurrence = recurrence;
            this.last = last;
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    void start(@Observes StartupEvent ignored) {
        if (!config.logical().enabled()) {
            return;
        }
        config.logical().clusters().keySet().stream()
                .filter(id -> !inventory.clusters().containsKey(id))
                .findFirst()
                .ifPresent(id -> {
                    throw new IllegalStateException("pgops.backup.logical.clusters." + id
                            + " names a cluster that is not in the inventory (pgops.clusters.*)");
                });
        Instant now = Instant.now();
        for (Map.Entry<String, Inventory.Cluster> e : inventory.clusters().entrySet()) {
            String text = Optional.ofNullable(config.logical().clusters().get(e.getKey()))
                    .flatMap(BackupConfig.Logical.ClusterLogical::schedule)
                    .orElse(config.logical().schedule());
            Optional<Recurrence> r;
            try {
                r = Recurrences.parse(text);
            } catch (IllegalArgumentException x) {
                throw new IllegalStateException(
                        "pgops.backup.logical schedule of cluster " + e.getKey() + ": " + x.getMessage());
            }
            ClusterId cluster = ClusterId.of(e.getKey());
            if (r.isEmpty()) {
                LOG.infof("cluster %s: no scheduled logical dumps", cluster.value());
                continue;
            }
            entries.add(new Entry(
                    cluster, e.getValue(), r.get(), newestFullDump(cluster).orElse(now)));
            LOG.infof(
                    "cluster %s: logical dumps of every database %s",
                    cluster.value(), r.get().describe());
        }
        long tick = config.logical().tick().toMillis();
        timer.scheduleWithFixedDelay(() -> tick(Instant.now()), tick, tick, TimeUnit.MILLISECONDS);
    }

    private Optional<Instant> newestFullDump(ClusterId cluster) {
        try {
            return dumps().list(cluster).stream()
                    .filter(d -> DumpEntry.FULL.equals(d.scope()))
                    .map(DumpEntry::startedAt)
                    .max(Instant::compareTo);
        } catch (RuntimeException e) {
            LOG.warnf(
                    "cluster %s: the dump catalogue could not be read (%s): its schedule starts from now", cluster, e);
            return Optional.empty();
        }
    }

    /** Looks at every cluster's schedule once; a cluster that fails does not stop the others. */
    void tick(Instant now) {
        for (Entry e : entries) {
            ScheduleDecision.Decision d = ScheduleDecision.decide(
                    "logical dumps of " + e.cluster.value(), e.recurrence, e.last, now, Optional.empty());
            if (d.action() != ScheduleDecision.Action.RUN) {
                continue;
            }
            e.last = now;
            LOG.infof("%s", d.reason());
            try {
                cluster(e.cluster, e.inventory, e.recurrence);
            } catch (RuntimeException x) {
                LOG.errorf(x, "scheduled logical dumps of %s stopped", e.cluster.value());
            }
        }
    }

    private LogicalDump dumps() {
        return repositories.logicalDumps(config.logical().toolTimeout());
    }

    private void cluster(ClusterId cluster, Inventory.Cluster c, Recurrence recurrence) {
        NodeName node = primaries.of(cluster, c);
        Inventory.Node n = c.nodes().get(node.value());
        Source src = new Source(
                cluster,
                node,
                n.host(),
                n.port(),
                c.credentials().username(),
                Passwords.read(c.credentials()),
                io.pgops.kit.inventory.PgTls.libpqEnv(c));
        LogicalDump dump = dumps();
        String repo =
                Path.of(config.repositoryRoot()).toAbsolutePath().normalize().toString();
        List<String> listed;
        try {
            listed = dump.databases(src, c.database());
        } catch (BackupFailure f) {
            LOG.warnf("scheduled logical dumps of %s: %s", cluster, f.error());
            return;
        }
        DumpPlan.Plan plan =
                DumpPlan.of(listed, new HashSet<>(config.logical().exclude().orElse(List.of())));
        if (!plan.leftOut().isEmpty()) {
            LOG.infof("scheduled logical dumps of %s leave out %s", cluster, plan.leftOut());
        }
        for (String database : plan.databases()) {
            one(dump, src, database, repo, recurrence);
        }
        expire(dump, cluster, repo);
    }

    /**
     * Retention of the cluster's full dumps ({@link DumpRetention}): each one that goes is first renamed out of the
     * catalogue ({@code .expired-<id>}, so a half-deleted dump is never listed), then deleted, and announced with
     * {@code BackupExpired} (kind {@code logical}), all under one correlation id per round.
     */
    void expire(LogicalDump dump, ClusterId cluster, String repo) {
        List<DumpRetention.Verdict> verdicts = DumpRetention.decide(
                dump.list(cluster),
                config.logical().keepLast(),
                config.logical().keepFor(),
                Instant.now());
        String correlation = EventIds.newId();
        RepositoryLayout layout = RepositoryLayout.within(Path.of(config.repositoryRoot()), null);
        for (DumpRetention.Verdict v : verdicts) {
            if (v.keep()) {
                continue;
            }
            DumpEntry e = v.dump();
            Path dir = layout.dump(cluster, e.id());
            Path gone = dir.resolveSibling(RetentionRunner.EXPIRED_PREFIX + e.id().value());
            try {
                Files.move(dir, gone, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException x) {
                LOG.warnf("dump %s of %s not expired: %s", e.id(), cluster, x.getMessage());
                continue;
            }
            Trees.delete(gone);
            LOG.infof("cluster %s: dump %s expired: %s", cluster.value(), e.id(), v.reason());
            publish(
                    new BackupExpired(
                            cluster,
                            e.id().value(),
                            repo,
                            null,
                            null,
                            null,
                            e.storedBytes(),
                            e.completedAt(),
                            v.reason() + " (logical keep-last "
                                    + config.logical().keepLast()
                                    + config.logical()
                                            .keepFor()
                                            .map(k -> ", keep-for " + k)
                                            .orElse("") + ")",
                            Instant.now(),
                            BackupKind.LOGICAL),
                    correlation);
        }
    }

    private void one(LogicalDump dump, Source src, String database, String repo, Recurrence recurrence) {
        String correlation = EventIds.newId();
        ClusterId cluster = src.cluster();
        long t0 = System.nanoTime();
        String pendingId =
                DumpEntry.idFor(Instant.now(), src.node(), DumpEntry.FULL).value();
        publish(
                new BackupRequested(
                        cluster,
                        BackupKind.LOGICAL,
                        src.node(),
                        null,
                        "scheduler",
                        "scheduled logical dump of database " + database + " (" + recurrence.describe() + ")"),
                correlation);
        publish(
                new BackupStarted(
                        cluster, pendingId, BackupKind.LOGICAL, src.node(), repo, NO_TIMELINE, null, Instant.now()),
                correlation);
        try {
            DumpEntry e = dump.take(src, database, new LogicalDump.Request(null, correlation, null), DumpEntry.FULL);
            publish(
                    new BackupCompleted(
                            cluster,
                            e.id().value(),
                            BackupKind.LOGICAL,
                            e.node(),
                            repo,
                            NO_TIMELINE,
                            null,
                            null,
                            e.storedBytes(),
                            null,
                            e.durationMillis(),
                            e.completedAt()),
                    correlation);
            LOG.infof(
                    "logical dump %s of %s %s: %d bytes, %d entries, %d ms",
                    e.id(), cluster, database, e.storedBytes(), e.tocEntries(), e.durationMillis());
        } catch (BackupFailure f) {
            LOG.warnf("logical dump of %s %s failed at %s: %s", cluster, database, f.stage(), f.getMessage());
            publish(
                    new BackupFailed(
                            cluster,
                            pendingId,
                            BackupKind.LOGICAL,
                            src.node(),
                            repo,
                            f.stage(),
                            f.error(),
                            (System.nanoTime() - t0) / 1_000_000,
                            Instant.now()),
                    correlation);
        }
    }

    private void publish(BackupEvent event, String correlation) {
        publisher
                .publish(event, correlation)
                .toCompletableFuture()
                .orTimeout(config.publishTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .join();
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
