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
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.jboss.logging.Logger;

/**
 * The backup-service's Prometheus metrics, per cluster of the inventory, read from the repository's
 * catalogue at each scrape (so they survive a restart and count backups the command line took too):
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

    private final MeterRegistry registry;
    private final Path root;

    public BackupMetrics(MeterRegistry registry, Inventory inventory, BackupConfig config) {
        this.registry = registry;
        this.root = Path.of(config.repositoryRoot());
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
            Gauge.builder(
                            "pgops.backup.catalogued.backups",
                            this,
                            m -> m.catalogue(cluster).size())
                    .description("backups the repository's catalogue holds for the cluster")
                    .tag("cluster", name)
                    .register(registry);
            for (String outcome : new String[] {"completed", "failed"}) {
                runs(cluster, outcome);
            }
            expired(cluster);
            expiredBytes(cluster);
            walRemoved(cluster);
        }
    }

    /** Counts a backup this instance ran. */
    public void ran(ClusterId cluster, boolean completed) {
        runs(cluster, completed ? "completed" : "failed").increment();
    }

    /** Counts a backup retention deleted and what it took in the repository. */
    public void expired(ClusterId cluster, long storedBytes) {
        expired(cluster).increment();
        expiredBytes(cluster).increment(storedBytes);
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
        Gauge.builder(
                        name,
                        this,
                        m -> m.newest(cluster).map(value::applyAsDouble).orElse(Double.NaN))
                .description(help)
                .baseUnit(unit)
                .tag("cluster", cluster.value())
                .register(registry);
    }

    private java.util.List<CatalogueEntry> catalogue(ClusterId cluster) {
        try {
            return new Catalogue(new RepositoryLayout(root)).list(cluster);
        } catch (RuntimeException e) {
            LOG.debugf("cannot read the catalogue of %s for metrics: %s", cluster, e.getMessage());
            return java.util.List.of();
        }
    }

    private Optional<CatalogueEntry> newest(ClusterId cluster) {
        return catalogue(cluster).stream().max(Comparator.comparing(CatalogueEntry::completedAt));
    }
}
