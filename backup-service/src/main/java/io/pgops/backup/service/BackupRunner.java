package io.pgops.backup.service;

import io.pgops.backup.config.BackupConfig;
import io.pgops.backup.domain.BackupId;
import io.pgops.backup.domain.CatalogueEntry;
import io.pgops.backup.domain.Compression;
import io.pgops.backup.domain.FailoverSource;
import io.pgops.backup.domain.RepositoryLayout;
import io.pgops.backup.domain.SourceChoice;
import io.pgops.backup.domain.Verification;
import io.pgops.backup.messaging.BackupEventPublisher;
import io.pgops.events.EventIds;
import io.pgops.events.Requester;
import io.pgops.events.backup.BackupCompleted;
import io.pgops.events.backup.BackupEvent;
import io.pgops.events.backup.BackupFailed;
import io.pgops.events.backup.BackupKind;
import io.pgops.events.backup.BackupRequested;
import io.pgops.events.backup.BackupStarted;
import io.pgops.events.backup.BackupVerificationFailed;
import io.pgops.events.backup.BackupVerified;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Timeline;
import io.pgops.kit.inventory.Inventory;
import io.pgops.kit.inventory.Passwords;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Runs requested backups one at a time, telling the story on Kafka under one correlation id: {@code
 * BackupRequested} (the command, on {@code pgops.backup.commands}), {@code BackupStarted}, then {@code
 * BackupCompleted} or {@code BackupFailed} (with the tool's last lines), then {@code BackupVerified} or {@code
 * BackupVerificationFailed} for the manifest check and again for the restore drill. Each event is published
 * only after Kafka acknowledged the one before, so consumers see them in this order.
 */
@ApplicationScoped
public class BackupRunner {
    private static final Logger LOG = Logger.getLogger(BackupRunner.class);

    private final Inventory inventory;
    private final BackupConfig config;
    private final BackupEventPublisher publisher;
    private final BackupMetrics metrics;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("backup-worker").factory());
    /** Retention after each successful backup (a field, so the constructor stays as it was). */
    @Inject
    RetentionRunner retention;

    /** The repository, plain or encrypted ({@code pgops.backup.encryption-key}). */
    @Inject
    Repositories repositories;

    /** Backups being verified or drilled: retention keeps them. */
    @Inject
    BackupsInUse inUse;

    /** Backups and drills queued or running, per cluster: a schedule skips a cluster that has any. */
    private final Map<ClusterId, AtomicInteger> pending = new ConcurrentHashMap<>();

    public BackupRunner(
            Inventory inventory, BackupConfig config, BackupEventPublisher publisher, BackupMetrics metrics) {
        this.inventory = inventory;
        this.config = config;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    /** The cluster asked for is not in the inventory. */
    public static final class UnknownCluster extends RuntimeException {
        public UnknownCluster(String message) {
            super(message);
        }
    }

    /** A backup accepted and queued: its id, the node chosen and why, the flow's correlation id. */
    public record Accepted(String backupId, String correlationId, String node, String nodeReason, String repository) {}

    /** The configured repository root. */
    public Path repositoryRoot() {
        return Path.of(config.repositoryRoot());
    }

    /**
     * Checks the request against the inventory and the repository root (nothing is published when it cannot
     * apply), publishes {@code BackupRequested} and queues the backup.
     *
     * @throws UnknownCluster the cluster is not in the inventory
     * @throws SourceChoice.UnknownNode the node is not one of the cluster's
     * @throws IllegalArgumentException the repository lies outside the configured root
     */
    public Accepted request(
            ClusterId cluster,
            Optional<NodeName> node,
            String reason,
            boolean fastCheckpoint,
            Optional<String> repository,
            Requester requester) {
        Inventory.Cluster c = cluster(cluster);
        List<SourceChoice.Candidate> candidates = c.nodes().entrySet().stream()
                .map(e -> new SourceChoice.Candidate(
                        NodeName.of(e.getKey()), e.getValue().roleHint()))
                .toList();
        SourceChoice.Choice choice = SourceChoice.choose(candidates, node);
        RepositoryLayout layout = layout(repository);
        String correlation = EventIds.newId();
        BackupId id = BackupId.at(Instant.now(), choice.node());
        publish(
                new BackupRequested(
                        cluster,
                        BackupKind.PHYSICAL,
                        node.orElse(null),
                        repository.orElse(null),
                        requester.principal(),
                        reason),
                correlation,
                requester);
        submit(cluster, () -> run(cluster, c, choice, id, layout, fastCheckpoint, correlation, Optional.empty()));
        return new Accepted(
                id.value(), correlation, choice.node().value(), choice.reason(), repositories.location(layout));
    }

    /**
     * Publishes {@code BackupRequested} under {@code correlation} (the flow that called for it) and queues a full
     * backup of the configured repository whose source {@code chooser} picks when the worker gets to it (not now:
     * after a failover a standby may follow the new timeline by then). The backup must come from a node on {@code
     * least} or a later timeline: a node that reports an older one fails it at {@code start}, as does a chooser
     * that finds no node (its reason becomes the error; the backup id then names {@code fallback}).
     */
    public void requestOnTimeline(
            ClusterId cluster,
            String reason,
            String correlation,
            Requester requester,
            java.util.function.Function<Inventory.Cluster, FailoverSource.Choice> chooser,
            Timeline least,
            NodeName fallback) {
        Inventory.Cluster c = cluster(cluster);
        RepositoryLayout layout = RepositoryLayout.within(repositoryRoot(), null);
        publish(
                new BackupRequested(cluster, BackupKind.PHYSICAL, null, null, requester.principal(), reason),
                correlation,
                requester);
        submit(cluster, () -> {
            FailoverSource.Choice chosen = chooser.apply(c);
            if (chosen.node().isEmpty()) {
                LOG.warnf("backup of %s on timeline %s cannot start: %s", cluster, least, chosen.reason());
                metrics.ran(cluster, false);
                publish(
                        failed(
                                cluster,
                                BackupId.at(Instant.now(), fallback),
                                null,
                                repositories.location(layout),
                                "start",
                                chosen.reason(),
                                System.nanoTime()),
                        correlation);
                return;
            }
            NodeName node = chosen.node().get();
            LOG.infof("backup of %s on timeline %s from %s", cluster, least, chosen.reason());
            run(
                    cluster,
                    c,
                    new SourceChoice.Choice(node, chosen.reason()),
                    BackupId.at(Instant.now(), node),
                    layout,
                    true,
                    correlation,
                    Optional.of(least));
        });
    }

    /** Why {@code cluster} cannot take another scheduled run now: backups or drills of it queued or running. */
    public Optional<String> busy(ClusterId cluster) {
        AtomicInteger n = pending.get(cluster);
        int count = n == null ? 0 : n.get();
        return count == 0
                ? Optional.empty()
                : Optional.of(count + " backup or drill run(s) of " + cluster + " queued or running");
    }

    /**
     * Queues a restore drill of the cluster's newest backup in the configured repository: it is unpacked, checked
     * with pg_verifybackup, started on a scratch server and its largest tables counted; {@code BackupVerified} or
     * {@code BackupVerificationFailed} for each check under a new correlation id, the catalogue updated.
     *
     * @return the backup drilled and the correlation id; empty when the cluster has no backup yet
     */
    public Optional<Accepted> drill(ClusterId cluster, Requester requester) {
        Inventory.Cluster c = cluster(cluster);
        RepositoryLayout layout = RepositoryLayout.within(repositoryRoot(), null);
        List<CatalogueEntry> all = repositories.catalogue(layout).list(cluster);
        if (all.isEmpty()) {
            return Optional.empty();
        }
        CatalogueEntry newest = all.getLast();
        String correlation = EventIds.newId();
        String user = config.account()
                .map(BackupConfig.Account::username)
                .orElse(c.credentials().username());
        String repo = repositories.location(layout);
        submit(cluster, () -> {
            Backups engine = repositories.backups(layout);
            Optional<Verifier.Outcome> o;
            try (BackupsInUse.AutoCloseableHold h = inUse.hold(newest.id())) {
                o = verify(engine, cluster, newest, true, user, repo, correlation, requester);
            }
            o.ifPresent(v -> {
                publish(verification(cluster, newest.id(), repo, v.manifest()), correlation, requester);
                if (v.restore() != null) {
                    publish(verification(cluster, newest.id(), repo, v.restore()), correlation, requester);
                }
            });
        });
        return Optional.of(
                new Accepted(newest.id().value(), correlation, newest.node().value(), "the newest backup", repo));
    }

    private void submit(ClusterId cluster, Runnable task) {
        AtomicInteger n = pending.computeIfAbsent(cluster, k -> new AtomicInteger());
        n.incrementAndGet();
        try {
            worker.submit(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.errorf(e, "a run for %s failed", cluster);
                } finally {
                    n.decrementAndGet();
                }
            });
        } catch (RuntimeException e) {
            n.decrementAndGet();
            throw e;
        }
    }

    /** The catalogue of a cluster in the configured repository (or one inside it). */
    public List<CatalogueEntry> list(ClusterId cluster, Optional<String> repository) {
        cluster(cluster);
        return repositories.catalogue(layout(repository)).list(cluster);
    }

    /**
     * The filesystem repository a request names, inside the configured root (the root itself by default); when the
     * backups live in a bucket a request may name none.
     *
     * @throws IllegalArgumentException the repository lies outside the root, or the backups live in a bucket
     */
    private RepositoryLayout layout(Optional<String> repository) {
        if (repository.isPresent() && repositories.inBucket()) {
            throw new IllegalArgumentException("this service stores its backups in "
                    + repositories.location(RepositoryLayout.within(repositoryRoot(), null))
                    + ": a repository directory applies only to a filesystem repository");
        }
        return RepositoryLayout.within(repositoryRoot(), repository.orElse(null));
    }

    private Inventory.Cluster cluster(ClusterId cluster) {
        Inventory.Cluster c = inventory.clusters().get(cluster.value());
        if (c == null) {
            throw new UnknownCluster("cluster " + cluster + " is not in the inventory");
        }
        return c;
    }

    private void run(
            ClusterId cluster,
            Inventory.Cluster c,
            SourceChoice.Choice choice,
            BackupId id,
            RepositoryLayout layout,
            boolean fast,
            String correlation,
            Optional<Timeline> least) {
        String repo = repositories.location(layout);
        long t0 = System.nanoTime();
        try {
            Inventory.Node n = c.nodes().get(choice.node().value());
            Source src = source(config, c, cluster, choice.node(), n.host(), n.port());
            String user = src.user();
            Backups engine = repositories.backups(layout);
            BaseBackup.Identity who;
            CatalogueEntry entry;
            try {
                who = engine.identify(src);
                if (least.isPresent() && who.timeline().compareTo(least.get()) < 0) {
                    throw new BackupFailure(
                            "start",
                            "node " + choice.node() + " is on timeline " + who.timeline() + ", not yet on timeline "
                                    + least.get() + ": a base from it would not restore the new timeline",
                            "");
                }
                publish(
                        new BackupStarted(
                                cluster,
                                id.value(),
                                BackupKind.PHYSICAL,
                                choice.node(),
                                repo,
                                who.timeline(),
                                null,
                                Instant.now()),
                        correlation);
                entry = engine.take(src, id, Compression.of(config.compression()), fast, who, false, false, user)
                        .entry();
            } catch (BackupFailure f) {
                LOG.warnf("backup %s of %s failed at %s: %s", id, cluster, f.stage(), f.getMessage());
                metrics.ran(cluster, false);
                publish(failed(cluster, id, choice.node(), repo, f.stage(), f.error(), t0), correlation);
                return;
            }
            metrics.ran(cluster, true);
            publish(
                    new BackupCompleted(
                            cluster,
                            id.value(),
                            BackupKind.PHYSICAL,
                            entry.node(),
                            repo,
                            entry.timeline(),
                            entry.startLsn(),
                            entry.stopLsn(),
                            entry.storedBytes(),
                            entry.rawBytes(),
                            entry.durationMillis(),
                            entry.completedAt()),
                    correlation);
            if (config.verify()) {
                Optional<Verifier.Outcome> o;
                try (BackupsInUse.AutoCloseableHold h = inUse.hold(id)) {
                    o = verify(engine, cluster, entry, config.restoreDrill(), user, repo, correlation, null);
                }
                o.ifPresent(v -> {
                    publish(verification(cluster, id, repo, v.manifest()), correlation);
                    if (v.restore() != null) {
                        publish(verification(cluster, id, repo, v.restore()), correlation);
                    }
                });
            }
            applyRetention(cluster, layout, correlation);
        } catch (RuntimeException e) {
            LOG.errorf(e, "backup %s of %s failed", id, cluster);
            metrics.ran(cluster, false);
            publish(failed(cluster, id, choice.node(), repo, "start", String.valueOf(e.getMessage()), t0), correlation);
        }
    }

    /**
     * Verifies a backup; a backup that cannot even be read back (an encrypted one refused: wrong key, altered byte)
     * is published as {@code BackupVerificationFailed} here, and nothing is returned.
     */
    private Optional<Verifier.Outcome> verify(
            Backups engine,
            ClusterId cluster,
            CatalogueEntry entry,
            boolean drill,
            String user,
            String repo,
            String correlation,
            Requester requester) {
        try {
            return Optional.of(engine.verify(entry, drill, user));
        } catch (BackupFailure f) {
            LOG.warnf("backup %s of %s cannot be verified: %s", entry.id(), cluster, f.getMessage());
            publish(
                    new BackupVerificationFailed(
                            cluster, entry.id().value(), repo, "manifest", f.getMessage(), 0, Instant.now()),
                    correlation,
                    requester);
            return Optional.empty();
        }
    }

    /** Retention after a successful backup: a failure is logged, the backup stays completed. */
    private void applyRetention(ClusterId cluster, RepositoryLayout layout, String correlation) {
        try {
            RetentionRunner.Outcome r = retention.apply(cluster, layout, false, correlation, null);
            if (r.deleted() > 0) {
                LOG.infof(
                        "cluster %s: retention (%s) deleted %d backup(s), %d bytes",
                        cluster.value(), r.policy(), r.deleted(), r.freedBytes());
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "cluster %s: retention after the backup failed", cluster.value());
        }
    }

    private static BackupFailed failed(
            ClusterId cluster, BackupId id, NodeName node, String repo, String stage, String error, long t0) {
        return new BackupFailed(
                cluster,
                id.value(),
                BackupKind.PHYSICAL,
                node,
                repo,
                stage,
                error,
                (System.nanoTime() - t0) / 1_000_000,
                Instant.now());
    }

    private static BackupEvent verification(ClusterId cluster, BackupId id, String repo, Verification v) {
        if (v.failed()) {
            return new BackupVerificationFailed(
                    cluster, id.value(), repo, v.method(), v.detail(), v.durationMillis(), v.at());
        }
        return new BackupVerified(cluster, id.value(), repo, v.method(), v.checkedBytes(), v.durationMillis(), v.at());
    }

    private void publish(BackupEvent event, String correlation) {
        publish(event, correlation, null);
    }

    private void publish(BackupEvent event, String correlation, Requester requester) {
        publisher
                .publish(event, correlation, requester)
                .toCompletableFuture()
                .orTimeout(config.publishTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .join();
    }

    /**
     * A node of a cluster reached with the backup account ({@code pgops.backup.account}, else the inventory's),
     * its password read from its file now.
     */
    static Source source(
            BackupConfig config, Inventory.Cluster c, ClusterId cluster, NodeName node, String host, int port) {
        String user = config.account()
                .map(BackupConfig.Account::username)
                .orElse(c.credentials().username());
        String passwordFile = config.account()
                .map(BackupConfig.Account::passwordFile)
                .orElse(c.credentials().passwordFile());
        return new Source(
                cluster,
                node,
                host,
                port,
                user,
                Passwords.read(credentials(user, passwordFile)),
                io.pgops.kit.inventory.PgTls.libpqEnv(c));
    }

    private static Inventory.Credentials credentials(String user, String file) {
        return new Inventory.Credentials() {
            @Override
            public String username() {
                return user;
            }

            @Override
            public String passwordFile() {
                return file;
            }
        };
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
        RestoreDrill.stopRunning(); // a drill under way started a server of its own: it goes with the service
    }
}
