package io.pgops.maintenance.service;

import io.pgops.events.Requester;
import io.pgops.events.maintenance.MigrationApplied;
import io.pgops.events.maintenance.MigrationFailed;
import io.pgops.events.maintenance.MigrationRequested;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.maintenance.config.Policies;
import io.pgops.maintenance.domain.MigrationState;
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
 * ({@link MigrationApplier}) → {@code MigrationApplied} or {@code MigrationFailed}. Migrations and their scripts
 * live in this instance's memory (see {@link Migration}); the ledger of applied versions is in each database.
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
            throw e;
        }
        Duration timeout = policies.config().migration().backupTimeout();
        deadlines.schedule(() -> atDeadline(m, timeout), timeout.toMillis(), TimeUnit.MILLISECONDS);
        return m.view();
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
        deadlines.shutdownNow();
        threads.shutdownNow();
    }
}
