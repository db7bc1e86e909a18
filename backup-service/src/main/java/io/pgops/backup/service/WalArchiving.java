package io.pgops.backup.service;

import io.pgops.backup.config.BackupConfig;
import io.pgops.backup.domain.GapLedger;
import io.pgops.backup.domain.RepositoryLayout;
import io.pgops.backup.domain.WalGaps;
import io.pgops.backup.messaging.BackupEventPublisher;
import io.pgops.events.EventIds;
import io.pgops.events.backup.WalArchiveGapDetected;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.events.replication.Member;
import io.pgops.events.replication.TopologyChanged;
import io.pgops.kit.inventory.Inventory;
import io.pgops.pgtools.OsUser;
import io.pgops.pgtools.PgBinaries;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Continuous WAL archiving of every inventory cluster: one supervised pg_receivewal per cluster, pointed at the
 * primary the inventory names until the replication service's topology names the current one, and re-pointed on
 * every {@code TopologyChanged} whose current primary moved (switchover, failover). A periodic check of each
 * archive publishes {@code WalArchiveGapDetected} once per gap.
 */
@ApplicationScoped
public class WalArchiving {
    private static final Logger LOG = Logger.getLogger(WalArchiving.class);

    private final Inventory inventory;
    private final BackupConfig config;
    private final BackupEventPublisher publisher;
    private final Map<ClusterId, WalReceiver> receivers = new ConcurrentHashMap<>();
    private final Map<ClusterId, GapLedger> ledgers = new ConcurrentHashMap<>();
    /** The latest topology per cluster, also one read before archiving started (the consumer may be first). */
    private final Map<ClusterId, TopologyChanged> latest = new ConcurrentHashMap<>();

    /** The backups' catalogue, in the repository root or in a bucket. */
    @jakarta.inject.Inject
    Repositories repositories;

    /** The backup metrics (the WAL files copied to the bucket). */
    @jakarta.inject.Inject
    BackupMetrics metrics;

    private ScheduledExecutorService checker;
    /** Copies the archives into the bucket, when the backups live in one. */
    private WalShipper shipper;

    private final Map<ClusterId, Long> copies = new ConcurrentHashMap<>();
    private final Map<ClusterId, String> copyErrors = new ConcurrentHashMap<>();
    private BackupEngine engine;

    public WalArchiving(Inventory inventory, BackupConfig config, BackupEventPublisher publisher) {
        this.inventory = inventory;
        this.config = config;
        this.publisher = publisher;
    }

    void start(@Observes StartupEvent e) {
        if (!config.wal().enabled()) {
            LOG.info("WAL archiving is switched off (pgops.backup.wal.enabled=false)");
            return;
        }
        try {
            engine = new BackupEngine(
                    PgBinaries.locate(),
                    OsUser.forPostgres(),
                    new RepositoryLayout(Path.of(config.repositoryRoot())),
                    config.toolTimeout());
        } catch (RuntimeException ex) {
            LOG.errorf("WAL archiving cannot start: %s", ex.getMessage());
            return;
        }
        for (Map.Entry<String, Inventory.Cluster> c : inventory.clusters().entrySet()) {
            try {
                archive(ClusterId.of(c.getKey()), c.getValue());
            } catch (RuntimeException ex) {
                LOG.errorf("WAL archiving of %s cannot start: %s", c.getKey(), ex.getMessage());
            }
        }
        checker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("wal-gap-check").factory());
        long every = config.wal().gapCheckInterval().toMillis();
        checker.scheduleWithFixedDelay(this::checkAll, every, every, TimeUnit.MILLISECONDS);
        repositories.bucket().ifPresent(b -> {
            shipper = new WalShipper(b, config.wal().segmentSize());
            long copyEvery = config.wal().copyInterval().toMillis();
            LOG.infof("the WAL archives are copied to %s every %d ms", b.location(), copyEvery);
            checker.scheduleWithFixedDelay(this::copyAll, copyEvery, copyEvery, TimeUnit.MILLISECONDS);
        });
    }

    /** One copy pass per cluster into the bucket; a failure is logged once per new reason and tried again. */
    void copyAll() {
        for (ClusterId id : receivers.keySet()) {
            WalShipper.Pass p;
            try {
                p = shipper.ship(id, engine.layout().wal(id));
            } catch (RuntimeException e) { // never out of the scheduled task, which would end it for good
                p = new WalShipper.Pass(0, -1, String.valueOf(e));
            }
            copies.merge(id, (long) p.copied(), Long::sum);
            metrics.walCopied(id, p.copied());
            String was = copyErrors.get(id);
            if (p.error() != null) {
                if (!p.error().equals(was)) {
                    LOG.warnf("WAL archive of %s: %s (%d file(s) wait)", id, p.error(), p.waiting());
                }
                copyErrors.put(id, p.error());
            } else if (was != null) {
                LOG.infof("WAL archive of %s: copying to the bucket works again", id);
                copyErrors.remove(id);
            }
        }
    }

    private void archive(ClusterId id, Inventory.Cluster c) {
        WalReceiver.Settings settings = new WalReceiver.Settings(
                WalReceiver.Settings.slotFor(id),
                config.wal().compression(),
                config.wal().restartMinBackoff(),
                config.wal().restartMaxBackoff());
        Map.Entry<String, Inventory.Node> primary = c.nodes().entrySet().stream()
                .filter(n -> n.getValue().roleHint().orElse("").equals("primary"))
                .findFirst()
                .orElse(c.nodes().entrySet().iterator().next());
        Source first = BackupRunner.source(
                config,
                c,
                id,
                NodeName.of(primary.getKey()),
                primary.getValue().host(),
                primary.getValue().port());
        WalReceiver r = engine.walReceiver(id, settings);
        receivers.put(id, r);
        ledgers.put(id, new GapLedger());
        LOG.infof(
                "archiving the WAL of %s into %s from %s (the inventory's primary until the topology says"
                        + " otherwise), slot %s, %s",
                id, r.directory(), primary.getKey(), settings.slot(), settings.compression());
        r.follow(first);
        Optional.ofNullable(latest.get(id)).ifPresent(this::topology);
    }

    /** Re-points a cluster's receiver when the topology's current primary is another node than it streams from. */
    public void topology(TopologyChanged tc) {
        if (latest.merge(tc.cluster(), tc, (old, now) -> now.term().compareTo(old.term()) >= 0 ? now : old) != tc) {
            return; // an older term than one already followed
        }
        WalReceiver r = receivers.get(tc.cluster());
        Inventory.Cluster c = inventory.clusters().get(tc.cluster().value());
        if (r == null || c == null || tc.currentPrimary() == null) {
            return; // not ours, archiving off, or no primary accepts writes right now: keep trying the last one
        }
        Optional<Member> m = tc.member(tc.currentPrimary());
        if (m.isEmpty()) {
            return;
        }
        String hostPort = m.get().host() + ":" + m.get().port();
        if (r.status().target().map(hostPort::equals).orElse(false)) {
            return;
        }
        LOG.infof(
                "WAL archiving of %s follows the primary to %s at %s (term %s, timeline %s): %s",
                tc.cluster(), tc.currentPrimary(), hostPort, tc.term(), tc.timeline(), tc.reason());
        r.follow(BackupRunner.source(
                config,
                c,
                tc.cluster(),
                tc.currentPrimary(),
                m.get().host(),
                m.get().port()));
    }

    /**
     * A cluster's archive as {@code GET /clusters/{id}/wal} shows it: its coverage and gaps, and what its receiver
     * is doing; empty for a cluster not in the inventory.
     */
    public Optional<Map<String, Object>> describe(ClusterId id) {
        if (!inventory.clusters().containsKey(id.value())) {
            return Optional.empty();
        }
        RepositoryLayout layout = new RepositoryLayout(Path.of(config.repositoryRoot()));
        long size = config.wal().segmentSize();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cluster", id.value());
        out.put("archiving", config.wal().enabled());
        WalReceiver r = receivers.get(id);
        if (r != null) {
            WalReceiver.Status st = r.status();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("target", st.target().orElse(null));
            m.put("streamingFrom", st.streamingFrom().orElse(null));
            m.put("running", st.running());
            m.put("starts", st.starts());
            m.put("lastExit", st.lastExit());
            out.put("receiver", m);
        }
        repositories.bucket().ifPresent(b -> {
            Map<String, Object> copy = new LinkedHashMap<>();
            copy.put("location", b.location());
            copy.put("copied", copies.getOrDefault(id, 0L));
            copy.put("error", copyErrors.get(id));
            out.put("copy", copy);
        });
        try {
            out.putAll(WalArchive.describe(
                    WalArchive.check(
                            layout.wal(id), repositories.catalogue(layout).list(id), size),
                    layout.wal(id).toString(),
                    size));
        } catch (java.io.IOException e) {
            out.put("result", "unreadable");
            out.put("error", e.getMessage());
        }
        return Optional.of(out);
    }

    void checkAll() {
        for (ClusterId id : receivers.keySet()) {
            try {
                check(id);
            } catch (RuntimeException e) {
                LOG.warnf("the WAL archive of %s could not be checked: %s", id, e.getMessage());
            }
        }
    }

    /** Checks one archive and publishes its new gaps; returns them. */
    List<WalArchiveGapDetected> check(ClusterId id) {
        long size = config.wal().segmentSize();
        RepositoryLayout layout = engine.layout();
        WalGaps.Report report;
        try {
            // the backups that need the archive: the directory's, or the bucket's when the backups live in one
            report = WalArchive.check(
                    layout.wal(id), repositories.catalogue(layout).list(id), size);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read the WAL archive " + layout.wal(id), e);
        }
        List<WalArchiveGapDetected> gaps =
                ledgers.get(id).newGaps(id, engine.layout().wal(id).toString(), report, size, Instant.now());
        for (WalArchiveGapDetected g : gaps) {
            LOG.warnf("WAL archive of %s: %s", id, g.reason());
            publisher
                    .publish(g, EventIds.newId())
                    .toCompletableFuture()
                    .orTimeout(config.publishTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .join();
        }
        return gaps;
    }

    void stop(@Observes ShutdownEvent e) {
        if (checker != null) {
            checker.shutdownNow();
        }
        receivers.values().forEach(WalReceiver::close);
    }
}
