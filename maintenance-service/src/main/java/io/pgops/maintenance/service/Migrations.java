package io.pgops.maintenance.service;

import io.pgops.events.Requester;
import io.pgops.events.maintenance.MigrationApplied;
import io.pgops.events.maintenance.MigrationFailed;
import io.pgops.events.maintenance.MigrationRequested;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.maintenance.config.Policies;
import io.pgops.maintenance.domain.MigrationPlan;
import io.pgops.maintenance.domain.MigrationState;
import io.pgops.maintenance.domain.PendingMigration;
import io.pgops.maintenance.domain.PreMigrationBackup;
import io.pgops.maintenance.messaging.MaintenanceEventPublisher;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Safe schema migrations: checked, then {@code MigrationRequested} (the backup-service answers with the
 * schema-only dump's {@code BackupCompleted} under the same correlation id), then the script on the primary
 * ({@link MigrationApplier}) → {@code MigrationApplied} or {@code MigrationFailed}. A migration not yet over is
 * also a row of {@code pgops_ledger.pending_migrations} in its database ({@link MigrationQueue}), written before
 * {@code MigrationRequested}: at its start and every {@code recover-every} the instance claims the rows it may and
 * resumes those it does not hold — one still waiting for its dump asks for it again (same correlation id, the
 * original requester) and goes on within its original deadline; one whose script was running when its instance
 * stopped is failed (PostgreSQL rolled its transaction back), or found applied in the ledger. The ledger of
 * applied versions is in each database.
 */
@ApplicationScoped
public class Migrations {
    private static final Logger LOG = Logger.getLogger(Migrations.class);

    private final ClusterNodes nodes;
    private final Policies policies;
    private final MaintenanceEventPublisher publisher;
    private final MigrationApplier applier;
    private final Topologies topologies;
    private final MigrationChecks checks;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Migration> byId = new LinkedHashMap<>();
    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("migration-", 0).factory());
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("migration-deadlines").factory());

    private final ScheduledExecutorService recovery = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("migration-recovery").factory());
    /** This instance as the owner of pending migrations. */
    private final String instance;

    public Migrations(
            ClusterNodes nodes,
            Policies policies,
            MaintenanceEventPublisher publisher,
            MigrationApplier applier,
            Topologies topologies) {
        this.nodes = nodes;
        this.policies = policies;
        this.publisher = publisher;
        this.applier = applier;
        this.topologies = topologies;
        this.checks = new MigrationChecks(nodes, policies, topologies);
        this.instance = InstanceName.of(policies);
    }

    void start(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent e) {
        long every = policies.config().migration().recoverEvery().toMillis();
        recovery.scheduleWithFixedDelay(this::recover, 1_000, every, TimeUnit.MILLISECONDS);
        LOG.infof("pending migrations claimed as %s every %d ms", instance, every);
    }

    /** The request cannot be run as written (422). */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    /** The version is applied already or being applied (409). */
    public static final class Conflict extends RuntimeException {
        public Conflict(String message) {
            super(message);
        }
    }

    /** The script is larger than {@code migration.max-script-bytes} (413). */
    public static final class TooLarge extends RuntimeException {
        public TooLarge(String message) {
            super(message);
        }
    }

    /** What a caller asked for; {@code database} null: the inventory's. */
    public record Request(String sql, String reason, String version, String description, String database) {}

    /** Checks everything, publishes {@code MigrationRequested} and waits (in the background) for the dump. */
    public Migration.View request(ClusterId id, Request r, Requester requester) {
        MigrationChecks.Checked c = checks.check(id, r);
        String database = c.database();
        String description = r.description() == null ? "migration " + r.version() : r.description();
        Instant now = clock.instant();
        Migration m = new Migration(
                UUID.randomUUID().toString(),
                UUID.randomUUID().toString(),
                id,
                database,
                r.version(),
                description,
                MigrationChecks.sha256(r.sql()),
                r.sql(),
                c.plan(),
                requester,
                r.reason(),
                now);
        synchronized (byId) {
            for (Migration other : byId.values()) {
                if (!other.done()
                        && other.cluster.equals(id)
                        && other.database.equals(database)
                        && other.version.equals(r.version())) {
                    throw new Conflict("version " + r.version() + " of database " + database + " is "
                            + other.state().code() + " (migration " + other.migrationId + ")");
                }
            }
            byId.put(m.migrationId, m);
            trim();
        }
        try (NodeSql sql = nodes.primary(id, database, policies.config().reportTimeout())) {
            MigrationQueue.ensure(sql);
            MigrationQueue.insert(sql, m, instance);
        } catch (RuntimeException e) {
            synchronized (byId) {
                byId.remove(m.migrationId);
            }
            if (e instanceof NodeSql.SqlFailure f && "23505".equals(f.sqlState())) {
                throw new Conflict("version " + r.version() + " of database " + database
                        + " is pending already (pgops_ledger.pending_migrations; another instance accepted it)");
            }
            throw e;
        }
        // wait first, so a dump that completes before publish() returns finds the migration waiting
        m.move(MigrationState.REQUESTED, MigrationState.BACKING_UP, "waiting for the pre-migration schema-only dump");
        try {
            publisher.publish(
                    new MigrationRequested(
                            id, database, r.version(), description, m.checksum, requester.principal(), r.reason()),
                    m.correlationId,
                    requester);
        } catch (RuntimeException e) {
            m.failed(null, "MigrationRequested was not published: " + e.getMessage(), null, true, 0L, clock.instant());
            // the caller is told it failed: nothing may resume it after a restart
            try (NodeSql sql = nodes.primary(id, database, policies.config().reportTimeout())) {
                MigrationQueue.remove(sql, m.migrationId);
            } catch (RuntimeException gone) {
                LOG.warnf("migration %s: its pending row stays until the next claim removes it", m.migrationId);
            }
            throw e;
        }
        scheduleDeadline(m);
        return m.view();
    }

    /** The dump's deadline: {@code backup-timeout} after the request (a resumed migration keeps its own). */
    private void scheduleDeadline(Migration m) {
        Duration timeout = policies.config().migration().backupTimeout();
        long left = Math.max(
                0,
                Duration.between(clock.instant(), m.requestedAt.plus(timeout)).toMillis());
        deadlines.schedule(() -> atDeadline(m, timeout), left, TimeUnit.MILLISECONDS);
    }

    /**
     * Claims the pending migrations of every cluster's databases this instance may ({@link MigrationQueue#claim}) and
     * resumes those it does not hold; rows of migrations it holds as over are removed.
     */
    void recover() {
        Duration check = policies.config().reportTimeout();
        Duration stale = policies.config().migration().staleAfter();
        for (String cluster : nodes.clusterIds()) {
            ClusterId id = ClusterId.of(cluster);
            List<String> databases;
            try (NodeSql sql = nodes.primary(id, check)) {
                databases = sql.list(
                        "SELECT datname::text FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY 1",
                        r -> r.getString(0));
            } catch (RuntimeException e) {
                LOG.debugf("pending migrations of %s not looked at: %s", cluster, e.getMessage());
                continue;
            }
            for (String database : databases) {
                try (NodeSql sql = nodes.primary(id, database, check)) {
                    if (!MigrationQueue.exists(sql)) {
                        continue;
                    }
                    for (MigrationQueue.Pending p : MigrationQueue.claim(sql, cluster, instance, stale)) {
                        resume(sql, id, database, p);
                    }
                } catch (RuntimeException e) {
                    LOG.warnf("pending migrations of %s/%s not claimed: %s", cluster, database, e.getMessage());
                }
            }
        }
    }

    private void resume(NodeSql sql, ClusterId id, String database, MigrationQueue.Pending p) {
        Migration known;
        synchronized (byId) {
            known = byId.get(p.migrationId());
        }
        PendingMigration.Decision d = PendingMigration.decide(
                known != null,
                known != null && known.done(),
                p.state(),
                MigrationState.APPLYING.code().equals(p.state())
                        ? MigrationLedger.applied(sql, p.version())
                                .map(MigrationLedger.Applied::checksum)
                                .orElse(null)
                        : null,
                p.checksum(),
                p.requestedAt().toInstant(),
                clock.instant(),
                policies.config().migration().backupTimeout());
        switch (d.action()) {
            case HELD -> {
                return;
            }
            case REMOVE -> {
                MigrationQueue.remove(sql, p.migrationId());
                return;
            }
            default -> {
                // taken over below
            }
        }
        MigrationPlan plan;
        try {
            plan = MigrationPlan.of(p.script());
        } catch (MigrationPlan.Refused e) {
            LOG.errorf(
                    "pending migration %s cannot be planned any more (%s): removed", p.migrationId(), e.getMessage());
            MigrationQueue.remove(sql, p.migrationId());
            return;
        }
        Migration m = new Migration(
                p.migrationId(),
                p.correlationId(),
                id,
                database,
                p.version(),
                p.description(),
                p.checksum(),
                p.script(),
                plan,
                new Requester(p.principal(), p.roles()),
                p.reason(),
                p.requestedAt().toInstant());
        synchronized (byId) {
            byId.put(m.migrationId, m);
        }
        String by =
                "resumed by " + instance + " (pending in " + database + ", left by " + p.owner() + "): " + d.reason();
        LOG.warnf("migration %s (%s %s): %s", m.migrationId, database, m.version, by);
        switch (d.action()) {
            case APPLIED -> {
                MigrationQueue.remove(sql, m.migrationId);
                m.applied(sql.node().value(), null, 0, by + " (its MigrationApplied may be missing)", clock.instant());
            }
            case FAIL -> {
                boolean transaction = plan.mode() == MigrationPlan.Mode.TRANSACTION;
                fail(
                        m,
                        null,
                        by
                                + (!MigrationState.APPLYING.code().equals(p.state())
                                        ? ""
                                        : transaction
                                                ? "; PostgreSQL rolled its transaction back, nothing of it applied; ask"
                                                        + " again"
                                                : "; it ran outside a transaction and may have left partial changes (a"
                                                        + " concurrent index build an INVALID index)"),
                        null,
                        transaction || !MigrationState.APPLYING.code().equals(p.state()),
                        0);
            }
            default -> {
                m.move(MigrationState.REQUESTED, MigrationState.BACKING_UP, by);
                try {
                    publisher.publish(
                            new MigrationRequested(
                                    id, database, m.version, m.description, m.checksum, p.principal(), m.reason),
                            m.correlationId,
                            m.requester);
                } catch (RuntimeException e) {
                    // not published: forgotten here, claimed and resumed again at the next look
                    synchronized (byId) {
                        byId.remove(m.migrationId);
                    }
                    LOG.warnf(
                            "migration %s: MigrationRequested not published again (%s)", m.migrationId, e.getMessage());
                    return;
                }
                scheduleDeadline(m);
            }
        }
    }

    /** The backup-service stored and verified a backup under {@code correlationId}. */
    public void backupCompleted(String correlationId, String kind, String backupId) {
        find(correlationId).ifPresent(m -> {
            PreMigrationBackup.Decision d = PreMigrationBackup.completed(m.state(), kind, backupId);
            LOG.infof("migration %s: %s", m.migrationId, d.reason());
            if (d.action() == PreMigrationBackup.Action.APPLY) {
                m.backup(backupId);
                if (m.move(MigrationState.BACKING_UP, MigrationState.APPLYING, d.reason() + "; applying")) {
                    threads.submit(() -> apply(m, backupId));
                }
            }
        });
    }

    /** The backup-service could not take the dump under {@code correlationId}. */
    public void backupFailed(String correlationId, String stage, String error) {
        find(correlationId).ifPresent(m -> {
            PreMigrationBackup.Decision d = PreMigrationBackup.failed(m.state(), stage, error);
            if (d.action() == PreMigrationBackup.Action.FAIL
                    && m.move(MigrationState.BACKING_UP, MigrationState.FAILED, d.reason())) {
                fail(m, null, d.reason(), null, true, 0);
            }
        });
    }

    private void atDeadline(Migration m, Duration timeout) {
        PreMigrationBackup.Decision d =
                PreMigrationBackup.atDeadline(m.state(), m.requestedAt, clock.instant(), timeout);
        if (d.action() == PreMigrationBackup.Action.FAIL
                && m.move(MigrationState.BACKING_UP, MigrationState.FAILED, d.reason())) {
            fail(m, null, d.reason(), null, true, 0);
        }
    }

    private void apply(Migration m, String backupId) {
        try {
            Optional<String> wait = topologies.waitReason(m.cluster);
            if (wait.isPresent()) {
                fail(m, null, "refused, nothing was run: " + wait.get(), null, true, 0);
                return;
            }
            try (NodeSql sql =
                    nodes.primary(m.cluster, m.database, policies.config().reportTimeout())) {
                if (!MigrationQueue.applying(sql, m.migrationId, instance)) {
                    // another instance took it over while this one seemed gone: it is that one's to run
                    m.failed(null, "taken over by another instance; not run here", null, true, 0L, clock.instant());
                    LOG.warnf("migration %s: taken over by another instance; not run here", m.migrationId);
                    return;
                }
            }
            MigrationApplier.Outcome o = applier.apply(m, backupId);
            if (o.applied()) {
                Instant at = clock.instant();
                String why = "applied on " + o.node() + " in " + o.durationMillis() + " ms after dump " + backupId;
                m.applied(o.node(), o.commitLsn(), o.durationMillis(), why, at);
                publisher.publish(
                        new MigrationApplied(
                                m.cluster,
                                m.database,
                                m.version,
                                m.checksum,
                                NodeName.of(o.node()),
                                Lsn.parse(o.commitLsn()),
                                o.durationMillis(),
                                at),
                        m.correlationId);
                LOG.infof("migration %s (%s %s): %s", m.migrationId, m.database, m.version, why);
            } else {
                fail(m, o.node(), o.error(), o.sqlState(), o.rolledBack(), o.durationMillis());
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "migration %s stopped", m.migrationId);
            if (!m.done()) {
                fail(m, null, "stopped: " + e.getMessage(), null, false, 0);
            }
        }
    }

    private void fail(Migration m, String node, String error, String sqlState, boolean rolledBack, long millis) {
        // first out of the pending table: once the migration shows failed, nothing resumes it
        try (NodeSql sql =
                nodes.primary(m.cluster, m.database, policies.config().reportTimeout())) {
            MigrationQueue.remove(sql, m.migrationId);
        } catch (RuntimeException e) {
            LOG.warnf(
                    "migration %s: its pending row stays until the next claim removes it (%s)",
                    m.migrationId, e.getMessage());
        }
        Instant at = clock.instant();
        m.failed(node, error, sqlState, rolledBack, millis, at);
        LOG.warnf("migration %s (%s %s) failed: %s", m.migrationId, m.database, m.version, error);
        publisher.publish(
                new MigrationFailed(
                        m.cluster,
                        m.database,
                        m.version,
                        node == null ? null : NodeName.of(node),
                        error,
                        sqlState,
                        rolledBack,
                        millis,
                        at),
                m.correlationId);
    }

    public Optional<Migration.View> get(ClusterId id, String migrationId) {
        synchronized (byId) {
            return Optional.ofNullable(byId.get(migrationId))
                    .filter(m -> m.cluster.equals(id))
                    .map(Migration::view);
        }
    }

    /** The cluster's migrations this instance knows, newest first. */
    public List<Migration.View> list(ClusterId id) {
        nodes.cluster(id);
        List<Migration.View> out = new ArrayList<>();
        synchronized (byId) {
            byId.values().stream().filter(m -> m.cluster.equals(id)).forEach(m -> out.addFirst(m.view()));
        }
        return out;
    }

    private Optional<Migration> find(String correlationId) {
        synchronized (byId) {
            return byId.values().stream()
                    .filter(m -> m.correlationId.equals(correlationId))
                    .findFirst();
        }
    }

    private void trim() {
        int kept = policies.config().migration().kept();
        var it = byId.values().iterator();
        while (byId.size() > kept && it.hasNext()) {
            if (it.next().done()) {
                it.remove();
            }
        }
    }

    @PreDestroy
    void stop() {
        recovery.shutdownNow();
        deadlines.shutdownNow();
        threads.shutdownNow();
    }
}
