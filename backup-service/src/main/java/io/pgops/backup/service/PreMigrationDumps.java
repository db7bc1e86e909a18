package io.pgops.backup.service;

import io.pgops.backup.config.BackupConfig;
import io.pgops.backup.domain.DumpEntry;
import io.pgops.backup.domain.PreMigrationRule;
import io.pgops.backup.domain.RepositoryLayout;
import io.pgops.backup.messaging.BackupEventPublisher;
import io.pgops.events.EventEnvelope;
import io.pgops.events.backup.BackupCompleted;
import io.pgops.events.backup.BackupEvent;
import io.pgops.events.backup.BackupFailed;
import io.pgops.events.backup.BackupKind;
import io.pgops.events.backup.BackupStarted;
import io.pgops.events.maintenance.MigrationRequested;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Timeline;
import io.pgops.kit.inventory.Inventory;
import io.pgops.kit.inventory.Passwords;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The pre-migration backup: on {@code MigrationRequested} a schema-only dump of the migration's database from the
 * primary ({@link LogicalDump}), told on {@code pgops.backup.events} under the request's correlation id: {@code
 * BackupStarted}, then {@code BackupCompleted} (kind {@code logical}; the maintenance-service runs the migration
 * only after it) or {@code BackupFailed}. Runs on the consumer's thread, so the request's offset is committed
 * only after its answer was acknowledged by Kafka. The dump connects with the inventory's account (a dump reads
 * the database's catalogue; the backup account only needs replication).
 */
@ApplicationScoped
public class PreMigrationDumps {
    private static final Logger LOG = Logger.getLogger(PreMigrationDumps.class);
    /** Logical dumps are not on a timeline; the events' field is filled with the first one. */
    private static final Timeline NO_TIMELINE = Timeline.of(1);

    private final Inventory inventory;
    private final BackupConfig config;
    private final BackupEventPublisher publisher;
    private final Primaries primaries;

    private final Repositories repositories;

    public PreMigrationDumps(
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

    public void requested(EventEnvelope envelope, MigrationRequested r) {
        ClusterId cluster = r.cluster();
        Inventory.Cluster c = inventory.clusters().get(cluster.value());
        if (!config.preMigration().enabled() || c == null) {
            return; // not ours to answer: another deployment's cluster, or dumps switched off
        }
        LogicalDump dump = dumper();
        Optional<DumpEntry> done = dump.answering(cluster, envelope.id());
        PreMigrationRule.Decision d = PreMigrationRule.decide(
                r.database(),
                envelope.time(),
                Instant.now(),
                config.preMigration().maxAge(),
                done.map(e -> e.id().value()));
        LOG.infof(
                "MigrationRequested %s of %s %s version %s: %s",
                envelope.id(), cluster, r.database(), r.version(), d.reason());
        String repo = layout().root().toString();
        switch (d.action()) {
            case SKIP -> {}
            case ANSWER_FROM_CATALOGUE -> publish(completed(done.get(), repo), envelope.correlationId());
            case REFUSE ->
                publish(
                        new BackupFailed(
                                cluster,
                                "refused",
                                BackupKind.LOGICAL,
                                null,
                                repo,
                                "start",
                                d.reason(),
                                0,
                                Instant.now()),
                        envelope.correlationId());
            case DUMP -> dump(dump, envelope, r, c, repo);
        }
    }

    private void dump(
            LogicalDump dump, EventEnvelope envelope, MigrationRequested r, Inventory.Cluster c, String repo) {
        ClusterId cluster = r.cluster();
        NodeName node = primaries.of(cluster, c);
        Inventory.Node n = c.nodes().get(node.value());
        long t0 = System.nanoTime();
        String pendingId = DumpEntry.schemaId(Instant.now(), node).value();
        publish(
                new BackupStarted(cluster, pendingId, BackupKind.LOGICAL, node, repo, NO_TIMELINE, null, Instant.now()),
                envelope.correlationId());
        try {
            Source src = new Source(
                    cluster,
                    node,
                    n.host(),
                    n.port(),
                    c.credentials().username(),
                    Passwords.read(c.credentials()),
                    io.pgops.kit.inventory.PgTls.libpqEnv(c));
            DumpEntry e = dump.take(
                    src, r.database(), new LogicalDump.Request(envelope.id(), envelope.correlationId(), r.version()));
            LOG.infof(
                    "pre-migration dump %s of %s %s: %d bytes, %d entries read back by pg_restore --list, %d ms",
                    e.id(), cluster, r.database(), e.storedBytes(), e.tocEntries(), e.durationMillis());
            publish(completed(e, repo), envelope.correlationId());
        } catch (BackupFailure f) {
            LOG.warnf("pre-migration dump of %s %s failed at %s: %s", cluster, r.database(), f.stage(), f.getMessage());
            publish(
                    new BackupFailed(
                            cluster,
                            pendingId,
                            BackupKind.LOGICAL,
                            node,
                            repo,
                            f.stage(),
                            f.error(),
                            (System.nanoTime() - t0) / 1_000_000,
                            Instant.now()),
                    envelope.correlationId());
        } catch (RuntimeException f) {
            LOG.errorf(f, "pre-migration dump of %s %s failed", cluster, r.database());
            publish(
                    new BackupFailed(
                            cluster,
                            pendingId,
                            BackupKind.LOGICAL,
                            node,
                            repo,
                            "start",
                            String.valueOf(f.getMessage()),
                            (System.nanoTime() - t0) / 1_000_000,
                            Instant.now()),
                    envelope.correlationId());
        }
    }

    /** The cluster's dumps in the configured repository, oldest first. */
    public List<DumpEntry> list(ClusterId cluster) {
        return dumper().list(cluster);
    }

    private LogicalDump dumper() {
        return repositories.logicalDumps(config.preMigration().toolTimeout());
    }

    private RepositoryLayout layout() {
        return RepositoryLayout.within(Path.of(config.repositoryRoot()), null);
    }

    private static BackupCompleted completed(DumpEntry e, String repo) {
        return new BackupCompleted(
                e.cluster(),
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
                e.completedAt());
    }

    private void publish(BackupEvent event, String correlation) {
        publisher
                .publish(event, correlation)
                .toCompletableFuture()
                .orTimeout(config.publishTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .join();
    }
}
