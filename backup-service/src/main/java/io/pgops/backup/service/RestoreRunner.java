package io.pgops.backup.service;

import io.pgops.backup.config.BackupConfig;
import io.pgops.backup.domain.BackupId;
import io.pgops.backup.domain.CatalogueEntry;
import io.pgops.backup.domain.RecoveryTarget;
import io.pgops.backup.domain.RepositoryLayout;
import io.pgops.backup.domain.RestoreDestination;
import io.pgops.backup.domain.RestorePlan;
import io.pgops.backup.domain.TimelineHistory;
import io.pgops.backup.domain.WalSegment;
import io.pgops.backup.messaging.BackupEventPublisher;
import io.pgops.events.EventIds;
import io.pgops.events.Requester;
import io.pgops.events.backup.BackupEvent;
import io.pgops.events.backup.RestoreCompleted;
import io.pgops.events.backup.RestoreFailed;
import io.pgops.events.backup.RestoreRequested;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Timeline;
import io.pgops.pgtools.Cmd;
import io.pgops.pgtools.OsUser;
import io.pgops.pgtools.PgBinaries;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Point-in-time restores through the service: {@code RestoreRequested} (on {@code pgops.backup.commands}, with the
 * caller), then the same engine as {@code bin/pgops backup restore} into a new directory on this host, the copy
 * started on a free port until it is promoted, then stopped; {@code RestoreCompleted} (where recovery ended, the
 * new timeline) or {@code RestoreFailed} (stage, error) under one correlation id. One restore at a time.
 */
@ApplicationScoped
public class RestoreRunner {
    private static final Logger LOG = Logger.getLogger(RestoreRunner.class);

    private final BackupConfig config;

    /** The repository, plain or encrypted ({@code pgops.backup.encryption-key}). */
    @jakarta.inject.Inject
    Repositories repositories;

    private final BackupRunner backups;
    private final BackupEventPublisher publisher;
    private final BackupsInUse inUse;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("restore-worker").factory());

    public RestoreRunner(
            BackupConfig config, BackupRunner backups, BackupEventPublisher publisher, BackupsInUse inUse) {
        this.config = config;
        this.backups = backups;
        this.publisher = publisher;
        this.inUse = inUse;
    }

    /** The request cannot apply; {@code status} is the HTTP answer's. */
    public static final class Refused extends RuntimeException {
        public final int status;

        public Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** A restore accepted: the backup chosen and why, the directory, the correlation id of its events. */
    public record Accepted(String correlationId, String backupId, String backupReason, String directory) {}

    /**
     * Checks everything that can be checked before a byte is written (cluster, directory, target against the
     * catalogue), publishes {@code RestoreRequested} and queues the restore.
     *
     * @throws BackupRunner.UnknownCluster the cluster is not in the inventory
     * @throws Refused the directory or the target cannot be used
     */
    public Accepted request(
            ClusterId cluster,
            NodeName node,
            Path directory,
            Optional<String> backupId,
            RecoveryTarget target,
            String reason,
            Requester requester) {
        List<CatalogueEntry> catalogue = backups.list(cluster, Optional.empty());
        Path root = Path.of(config.restore().root()).toAbsolutePath().normalize();
        Path dir = directory.normalize();
        // nothing outside the root is even looked at
        RestoreDestination.Found there = dir.isAbsolute() && dir.startsWith(root)
                ? found(dir)
                : new RestoreDestination.Found(false, false, false, Optional.empty());
        Optional<RestoreDestination.Refusal> refusal =
                RestoreDestination.check(root, directory, there, RestoreRunner::alive);
        if (refusal.isPresent()) {
            throw new Refused(refusal.get().status(), refusal.get().reason());
        }
        RepositoryLayout layout = RepositoryLayout.within(backups.repositoryRoot(), null);
        RestorePlan plan;
        try {
            plan = RestorePlan.decide(
                    catalogue, backupId, target, true, layout.wal(cluster).toString(), WalSegment.DEFAULT_SIZE);
        } catch (IllegalArgumentException e) {
            throw new Refused(422, e.getMessage());
        }
        String correlation = EventIds.newId();
        publish(
                new RestoreRequested(
                        cluster,
                        plan.backup().id().value(),
                        node,
                        target instanceof RecoveryTarget.AtTime t ? t.time() : null,
                        target instanceof RecoveryTarget.AtLsn l ? l.lsn() : null,
                        requester.principal(),
                        reason,
                        dir.toString()),
                correlation,
                requester);
        CatalogueEntry chosen = plan.backup();
        worker.submit(() -> run(cluster, node, dir, chosen, target, layout, correlation));
        return new Accepted(correlation, chosen.id().value(), plan.reason(), dir.toString());
    }

    private void run(
            ClusterId cluster,
            NodeName node,
            Path dir,
            CatalogueEntry backup,
            RecoveryTarget target,
            RepositoryLayout layout,
            String correlation) {
        long t0 = System.nanoTime();
        Instant time = target instanceof RecoveryTarget.AtTime t ? t.time() : null;
        Lsn lsn = target instanceof RecoveryTarget.AtLsn l ? l.lsn() : null;
        PgBinaries bin = PgBinaries.locate();
        OsUser pg = OsUser.forPostgres();
        try (BackupsInUse.AutoCloseableHold h = inUse.hold(backup.id())) {
            Backups engine = repositories.backups(layout);
            PointInTimeRestore.Outcome o = engine.restore(
                    new PointInTimeRestore.Request(
                            cluster,
                            dir,
                            Optional.of(backup.id().value()),
                            target,
                            true,
                            OptionalInt.of(freePort()),
                            config.restore().timeout()),
                    line -> LOG.infof("restore %s of %s: %s", correlation, cluster.value(), line));
            stop(bin, pg, dir);
            Lsn end = recoveryEnd(dir, o.timeline());
            publish(
                    new RestoreCompleted(
                            cluster,
                            backup.id().value(),
                            node,
                            time,
                            lsn,
                            end,
                            o.timeline(),
                            Math.max(0, end.value() - backup.startLsn().value()),
                            (System.nanoTime() - t0) / 1_000_000,
                            Instant.now()),
                    correlation,
                    null);
        } catch (BackupFailure f) {
            stopQuietly(bin, pg, dir);
            LOG.warnf("restore %s of %s into %s failed at %s: %s", correlation, cluster, dir, f.stage(), f.error());
            failed(cluster, backup.id(), node, f.stage(), f.error(), t0, correlation);
        } catch (RuntimeException e) {
            stopQuietly(bin, pg, dir);
            LOG.errorf(e, "restore %s of %s into %s failed", correlation, cluster, dir);
            failed(cluster, backup.id(), node, "restore", String.valueOf(e.getMessage()), t0, correlation);
        }
    }

    private void failed(
            ClusterId cluster, BackupId id, NodeName node, String stage, String error, long t0, String correlation) {
        publish(
                new RestoreFailed(
                        cluster, id.value(), node, stage, error, (System.nanoTime() - t0) / 1_000_000, Instant.now()),
                correlation,
                null);
    }

    /** Where recovery ended: the switch point the promoted copy wrote into its new timeline's history file. */
    static Lsn recoveryEnd(Path dir, Timeline timeline) {
        Path history = dir.resolve("pg_wal").resolve(TimelineHistory.fileName(timeline));
        try {
            TimelineHistory h = TimelineHistory.parse(timeline, Files.readString(history, StandardCharsets.US_ASCII));
            return h.ancestors().getLast().end();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read where recovery ended from " + history + ": " + e, e);
        }
    }

    private static void stop(PgBinaries bin, OsUser pg, Path dir) {
        Cmd.of(bin.tool("pg_ctl"), "-D", dir.toString(), "-m", "fast", "-w", "-t", "120", "stop")
                .as(pg)
                .env("LC_ALL", "C")
                .timeoutSeconds(180)
                .run();
    }

    private static void stopQuietly(PgBinaries bin, OsUser pg, Path dir) {
        if (Files.exists(dir.resolve("postmaster.pid"))) {
            try {
                stop(bin, pg, dir);
            } catch (RuntimeException e) {
                LOG.warnf("the restored copy in %s could not be stopped: %s", dir, e.getMessage());
            }
        }
    }

    private static RestoreDestination.Found found(Path dir) {
        if (!Files.exists(dir)) {
            return new RestoreDestination.Found(false, false, false, Optional.empty());
        }
        boolean isDir = Files.isDirectory(dir);
        boolean empty = true;
        Optional<String> pid = Optional.empty();
        if (isDir) {
            try (Stream<Path> s = Files.list(dir)) {
                empty = s.findAny().isEmpty();
                Path pidFile = dir.resolve("postmaster.pid");
                if (Files.isRegularFile(pidFile)) {
                    List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
                    pid = Optional.of(lines.isEmpty() ? "" : lines.getFirst());
                }
            } catch (IOException e) {
                throw new Refused(409, "cannot read " + dir + ": " + e.getMessage());
            }
        }
        return new RestoreDestination.Found(true, isDir, empty, pid);
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port for the restored copy", e);
        }
    }

    private void publish(BackupEvent event, String correlation, Requester requester) {
        publisher
                .publish(event, correlation, requester)
                .toCompletableFuture()
                .orTimeout(config.publishTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .join();
    }

    @PreDestroy
    void shutdown() {
        worker.shutdownNow();
    }
}
