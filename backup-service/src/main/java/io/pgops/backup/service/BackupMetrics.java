package io.pgops.backup.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pgops.backup.config.BackupConfig;
import io.pgops.backup.domain.CatalogueEntry;
import io.pgops.backup.domain.RepositoryLayout;
import io.pgops.backup.domain.Verification;
import io.pgops.events.model.ClusterId;
import io.pgops.kit.inventory.Inventory;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.jboss.logging.Logger;

/**
 * The backup-service's Prometheus metrics, per cluster of the inventory, read from the repository's
 * catalogue at each scrape (a bucket's at most every 5 s), so they survive a restart and count backups the command
 * line took too:
 *
 * <ul>
 *   <li>{@code pgops_backup_last_completed_timestamp_seconds} when the newest catalogued backup completed (its
 *       age is {@code time() - …}; NaN while none exists);
 *   <li>{@code pgops_backup_last_stored_bytes}, {@code pgops_backup_last_raw_bytes} and
 *       {@code pgops_backup_last_duration_seconds} of that backup;
 *   <li>{@code pgops_backup_last_verified}: 1 verified, 0 verification failed, NaN not verified yet;
 *   <li>{@code pgops_backup_catalogued_backups}: how many the catalogue holds;
 *   <li>{@code pgops_backup_runs_total{outcome}}: backups this instance ran, completed or failed.
 * </ul>
 */
@Startup
@ApplicationScoped
public class BackupMetrics {
    private static final Logger LOG = Logger.getLogger(BackupMetrics.class);

    /** How long one read of a cluster's catalogue serves the scrapes (each reads six gauges from it). */
    private static final long CATALOGUE_FRESH_NANOS = 5_000_000_000L;

    private final MeterRegistry registry;
    private final Repositories repositories;
    private final RepositoryLayout layout;
    private final Map<ClusterId, Read> reads = new ConcurrentHashMap<>();
    private final List<Gauge> gauges = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A cluster's catalogue as last read, and when (nanoTime). */
    private record Read(List<CatalogueEntry> entries, long atNanos) {}

    public BackupMetrics(MeterRegistry registry, Inventory inventory, BackupConfig config, Repositories repositories) {
        this.registry = registry;
        this.repositories = repositories;
        this.layout = new RepositoryLayout(Path.of(config.repositoryRoot()));
        for (String name : inventory.clusters().keySet()) {
            ClusterId cluster = ClusterId.of(name);
            gauge(
                    cluster,
                    "pgops.backup.last.completed.timestamp",
                    "seconds",
                    "when the newest catalogued backup completed (NaN: none yet)",
                    e -> e.completedAt().toEpochMilli() / 1000.0);
            gauge(
                    cluster,
                    "pgops.backup.last.stored",
                    "bytes",
                    "bytes the newest backup takes in the repository",
                    CatalogueEntry::storedBytes);
            gauge(
                    cluster,
                    "pgops.backup.last.raw",
                    "bytes",
                    "bytes of the newest backup before compression",
                    CatalogueEntry::rawBytes);
            gauge(
                    cluster,
                    "pgops.backup.last.duration",
                    "seconds",
                    "how long the newest backup took",
                    e -> e.durationMillis() / 1000.0);
            gauge(
                    cluster,
                    "pgops.backup.last.verified",
                    null,
                    "1 when the newest backup was verified, 0 when its verification failed, NaN before",
                    e -> switch (e.verification().state()) {
                        case Verification.VERIFIED -> 1.0;
                        case Verification.FAILED -> 0.0;
                        default -> Double.NaN;
                    });
            gauges.add(Gauge.builder(
                            "pgops.backup.catalogued.backups",
                            this,
                            m -> m.catalogue(cluster).size())
                    .description("backups the repository's catalogue holds for the cluster")
                    .tag("cluster", name)
                    .register(registry));
            for (String outcome : new String[] {"completed", "failed"}) {
                runs(cluster, outcome);
            }
            expired(cluster);
            expiredBytes(cluster);
            walRemoved(cluster);
            walCopied(cluster, 0);
        }
    }

    /** Counts a backup this instance ran. */
    public void ran(ClusterId cluster, boolean completed) {
        reads.remove(cluster);
        runs(cluster, completed ? "completed" : "failed").increment();
    }

    /** Counts a backup retention deleted and what it took in the repository. */
    public void expired(ClusterId cluster, long storedBytes) {
        reads.remove(cluster);
        expired(cluster).increment();
        expiredBytes(cluster).increment(storedBytes);
    }

    /** Counts WAL archive files copied into the bucket. */
    public void walCopied(ClusterId cluster, int files) {
        Counter.builder("pgops.backup.wal.copied.files")
                .description("WAL archive files (segments and history files) copied into the bucket")
                .tag("cluster", cluster.value())
                .register(registry)
                .increment(files);
    }

    /** Counts WAL segment files retention removed from the archive. */
    public void walRemoved(ClusterId cluster, int segments) {
        walRemoved(cluster).increment(segments);
    }

    private Counter walRemoved(ClusterId cluster) {
        return Counter.builder("pgops.backup.wal.removed.segments")
                .description("WAL segment files retention removed from the archive, no kept backup needing them")
                .tag("cluster", cluster.value())
                .register(registry);
    }

    private Counter expired(ClusterId cluster) {
        return Counter.builder("pgops.backup.expired")
                .description("backups retention deleted from the repository")
                .tag("cluster", cluster.value())
                .register(registry);
    }

    private Counter expiredBytes(ClusterId cluster) {
        return Counter.builder("pgops.backup.expired.freed")
                .baseUnit("bytes")
                .description("bytes the backups retention deleted took in the repository")
                .tag("cluster", cluster.value())
                .register(registry);
    }

    private Counter runs(ClusterId cluster, String outcome) {
        return Counter.builder("pgops.backup.runs")
                .description("backups this instance ran, by outcome")
                .tag("cluster", cluster.value())
                .tag("outcome", outcome)
                .register(registry);
    }

    private void gauge(
            ClusterId cluster, String name, String unit, String help, ToDoubleFunction<CatalogueEntry> value) {
        gauges.add(Gauge.builder(
                        name,
                        this,
                        m -> m.newest(cluster).map(value::applyAsDouble).orElse(Double.NaN))
                .description(help)
                .baseUnit(unit)
                .tag("cluster", cluster.value())
                .register(registry));
    }

    /**
     * The gauges read this instance: removed with it, so an instance after it (a restarted application in the same
     * JVM, as the tests restart it) registers its own instead of finding these, which read a stale repository.
     */
    @jakarta.annotation.PreDestroy
    void removeGauges() {
        gauges.forEach(registry::remove);
        gauges.clear();
    }

    /**
     * The cluster's catalogue: the directory's at each scrape; a bucket's at most every few seconds (a listing and
     * one request per backup), and afresh after this instance ran a backup.
     */
    private List<CatalogueEntry> catalogue(ClusterId cluster) {
        long now = System.nanoTime();
        Read r = reads.get(cluster);
        if (r != null && repositories.inBucket() && now - r.atNanos() < CATALOGUE_FRESH_NANOS) {
            return r.entries();
        }
        List<CatalogueEntry> entries;
        try {
            entries = repositories.catalogue(layout).list(cluster);
        } catch (RuntimeException e) {
            LOG.debugf("cannot read the catalogue of %s for metrics: %s", cluster, e.getMessage());
            entries = List.of();
        }
        reads.put(cluster, new Read(entries, now));
        return entries;
    }

    private Optional<CatalogueEntry> newest(ClusterId cluster) {
        return catalogue(cluster).stream().max(Comparator.comparing(CatalogueEntry::completedAt));
    }
}
