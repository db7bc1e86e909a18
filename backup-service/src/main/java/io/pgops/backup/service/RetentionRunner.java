package io.pgops.backup.service;

import io.pgops.backup.config.BackupConfig;
import io.pgops.backup.domain.CatalogueEntry;
import io.pgops.backup.domain.RepositoryLayout;
import io.pgops.backup.domain.Retention;
import io.pgops.backup.domain.RetentionPolicy;
import io.pgops.backup.domain.WalRetention;
import io.pgops.backup.domain.WalSegment;
import io.pgops.backup.messaging.BackupEventPublisher;
import io.pgops.events.Requester;
import io.pgops.events.backup.BackupExpired;
import io.pgops.events.model.ClusterId;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Applies a cluster's retention policy ({@code pgops.backup.retention.*}) to a repository: {@link Retention#decide}
 * says which backups go; each is renamed out of the catalogue ({@code .expired-<id>}, so a half-deleted backup is
 * never listed), deleted, and announced with {@code BackupExpired}; then the WAL segments no kept backup needs are
 * removed from the archive ({@link WalRetention}). One run per cluster at a time.
 */
@ApplicationScoped
public class RetentionRunner {
    private static final Logger LOG = Logger.getLogger(RetentionRunner.class);
    static final String EXPIRED_PREFIX = ".expired-";

    private final BackupConfig config;
    private final BackupEventPublisher publisher;
    private final BackupMetrics metrics;
    private final BackupsInUse inUse;
    private final Repositories repositories;
    private final ConcurrentHashMap<ClusterId, Object> locks = new ConcurrentHashMap<>();

    public RetentionRunner(
            BackupConfig config,
            BackupEventPublisher publisher,
            BackupMetrics metrics,
            BackupsInUse inUse,
            Repositories repositories) {
        this.config = config;
        this.repositories = repositories;
        this.publisher = publisher;
        this.metrics = metrics;
        this.inUse = inUse;
    }

    /**
     * One backup's verdict as the REST answer shows it.
     *
     * @param backupId the backup
     * @param completedAt when it completed
     * @param verification its verification state
     * @param keep whether it stays
     * @param reason why, in words
     */
    public record Item(String backupId, Instant completedAt, String verification, boolean keep, String reason) {}

    /**
     * What a run decided and did.
     *
     * @param policy the policy in words
     * @param dryRun whether nothing was deleted
     * @param backups every backup's verdict, oldest first
     * @param deleted how many backups were deleted
     * @param freedBytes what they took in the repository, bytes
     * @param walSegmentsRemoved WAL segment files removed from the archive (in a dry run: that would be)
     * @param wal what WAL retention found, in words
     */
    public record Outcome(
            String policy,
            boolean dryRun,
            List<Item> backups,
            int deleted,
            long freedBytes,
            int walSegmentsRemoved,
            String wal) {}

    /** The cluster's policy: its own keys over the defaults. */
    public RetentionPolicy policy(ClusterId cluster) {
        BackupConfig.Retention r = config.retention();
        Optional<BackupConfig.Retention.ClusterRetention> own =
                Optional.ofNullable(r.clusters().get(cluster.value()));
        OptionalInt last = own.map(BackupConfig.Retention.ClusterRetention::keepLast)
                .filter(OptionalInt::isPresent)
                .orElse(r.keepLast());
        OptionalInt days = own.map(BackupConfig.Retention.ClusterRetention::keepDays)
                .filter(OptionalInt::isPresent)
                .orElse(r.keepDays());
        return new RetentionPolicy(last, days);
    }

    /**
     * Applies the cluster's policy to {@code layout}.
     *
     * @param dryRun only say what would go
     * @param correlation the correlation id of the {@code BackupExpired} events
     * @param requester who asked (null when pgops itself applies it after a backup)
     */
    public Outcome apply(
            ClusterId cluster, RepositoryLayout layout, boolean dryRun, String correlation, Requester requester) {
        RetentionPolicy policy = policy(cluster);
        synchronized (locks.computeIfAbsent(cluster, k -> new Object())) {
            BackupRepository catalogue = repositories.catalogue(layout);
            if (!dryRun && !repositories.inBucket()) {
                sweepLeftovers(layout.cluster(cluster));
            }
            List<Retention.Verdict> verdicts =
                    Retention.decide(catalogue.list(cluster), policy, Instant.now(), inUse.ids());
            List<Item> items = new ArrayList<>();
            int deleted = 0;
            long freed = 0;
            for (Retention.Verdict v : verdicts) {
                CatalogueEntry e = v.backup();
                items.add(new Item(
                        e.id().value(), e.completedAt(), e.verification().state(), v.keep(), v.reason()));
                if (v.keep() || dryRun) {
                    continue;
                }
                repositories.delete(layout, e);
                deleted++;
                freed += e.storedBytes();
                metrics.expired(cluster, e.storedBytes());
                LOG.infof("cluster %s: backup %s expired: %s", cluster.value(), e.id(), v.reason());
                publisher
                        .publish(
                                new BackupExpired(
                                        cluster,
                                        e.id().value(),
                                        repositories.location(layout),
                                        e.timeline(),
                                        e.startLsn(),
                                        e.stopLsn(),
                                        e.storedBytes(),
                                        e.completedAt(),
                                        v.reason() + " (" + policy.describe() + ")",
                                        Instant.now(),
                                        io.pgops.events.backup.BackupKind.PHYSICAL),
                                correlation,
                                requester)
                        .toCompletableFuture()
                        .orTimeout(config.publishTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        .join();
            }
            List<CatalogueEntry> kept = verdicts.stream()
                    .filter(Retention.Verdict::keep)
                    .map(Retention.Verdict::backup)
                    .toList();
            WalRetention.Plan wal =
                    policy.keepsEverything() || !config.retention().wal()
                            ? new WalRetention.Plan(List.of(), Optional.empty(), "WAL retention is off")
                            : WalRetention.plan(walSegments(layout.wal(cluster)), kept, segmentSize());
            if (!dryRun && !wal.remove().isEmpty()) {
                removeWal(layout.wal(cluster), wal.remove());
                repositories.deleteWalCopies(
                        cluster,
                        wal.remove().stream()
                                .map(w -> w.fileName(segmentSize()))
                                .toList());
                metrics.walRemoved(cluster, wal.remove().size());
                LOG.infof("cluster %s: WAL retention: %s", cluster.value(), wal.reason());
            }
            return new Outcome(
                    policy.describe(),
                    dryRun,
                    List.copyOf(items),
                    deleted,
                    freed,
                    wal.remove().size(),
                    wal.reason());
        }
    }

    private long segmentSize() {
        return config.wal().segmentSize();
    }

    private List<WalSegment> walSegments(Path dir) {
        try {
            return WalArchive.segments(dir, segmentSize());
        } catch (IOException x) {
            throw new UncheckedIOException("cannot list the WAL archive " + dir, x);
        }
    }

    private void removeWal(Path dir, List<WalSegment> segments) {
        long size = segmentSize();
        for (WalSegment s : segments) {
            try {
                Files.deleteIfExists(dir.resolve(s.fileName(size)));
            } catch (IOException x) {
                throw new UncheckedIOException("cannot remove WAL segment " + s.fileName(size) + " from " + dir, x);
            }
        }
    }

    /** Deletes what an earlier run renamed but could not delete (the process died in between). */
    private static void sweepLeftovers(Path clusterDir) {
        if (!Files.isDirectory(clusterDir)) {
            return;
        }
        try (Stream<Path> s = Files.list(clusterDir)) {
            s.filter(p -> p.getFileName().toString().startsWith(EXPIRED_PREFIX)).forEach(Trees::delete);
        } catch (IOException x) {
            throw new UncheckedIOException("cannot list " + clusterDir, x);
        }
    }
}
