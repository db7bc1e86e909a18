package io.pgops.maintenance.service;

import io.pgops.maintenance.config.Policies;
import io.pgops.maintenance.domain.MigrationPlan;
import io.pgops.maintenance.domain.ObjectName;
import io.pgops.maintenance.domain.ScriptSplitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Runs a migration's script on the primary of its database. {@link MigrationPlan.Mode#TRANSACTION}: {@code BEGIN},
 * {@code SET LOCAL lock_timeout} and {@code statement_timeout}, the statements one by one, the ledger row,
 * {@code COMMIT}; any error rolls all of it back. {@link MigrationPlan.Mode#ALONE}: the one statement outside a
 * transaction block, the session under the same timeouts; if it was a {@code CREATE INDEX CONCURRENTLY} that
 * failed, the INVALID index it left (one of its name that did not exist before) is dropped with {@code DROP INDEX
 * CONCURRENTLY}, and the outcome says so.
 */
@ApplicationScoped
public class MigrationApplier {
    private static final Logger LOG = Logger.getLogger(MigrationApplier.class);

    private final ClusterNodes nodes;
    private final Policies policies;

    public MigrationApplier(ClusterNodes nodes, Policies policies) {
        this.nodes = nodes;
        this.policies = policies;
    }

    /**
     * What happened. On success {@code commitLsn} is set; on failure {@code error}, PostgreSQL's
     * {@code sqlState} (null if it was no database error) and whether nothing of it remains.
     */
    public record Outcome(
            boolean applied,
            String node,
            String commitLsn,
            String error,
            String sqlState,
            boolean rolledBack,
            long durationMillis) {}

    public Outcome apply(Migration m, String backupId) {
        Duration lock = policies.migrationLockTimeout(m.cluster.value());
        Duration statement = policies.config().migration().statementTimeout();
        NodeSql sql;
        try {
            sql = nodes.primary(m.cluster, m.database, statement);
        } catch (RuntimeException e) {
            return new Outcome(false, null, null, "not started: " + e.getMessage(), null, true, 0);
        }
        try {
            return m.plan.mode() == MigrationPlan.Mode.TRANSACTION
                    ? inTransaction(sql, m, backupId, lock, statement)
                    : alone(sql, m, backupId, lock, statement);
        } finally {
            sql.close();
        }
    }

    private Outcome inTransaction(NodeSql sql, Migration m, String backupId, Duration lock, Duration statement) {
        String node = sql.node().value();
        long t0 = System.nanoTime();
        ScriptSplitter.Statement current = null;
        try {
            sql.execute("BEGIN");
            sql.execute("SET LOCAL lock_timeout = " + lock.toMillis());
            sql.execute("SET LOCAL statement_timeout = " + statement.toMillis());
            for (ScriptSplitter.Statement s : m.plan.statements()) {
                current = s;
                sql.execute(s.text());
            }
            current = null;
            MigrationLedger.ensure(sql); // after the script: nothing of the ledger can change what the script sees
            long millis = millis(t0);
            MigrationLedger.record(sql, m, backupId, millis);
            MigrationQueue.remove(sql, m.migrationId); // pending or in the ledger, never both after the commit
            sql.execute("COMMIT");
            return new Outcome(true, node, MigrationLedger.walPosition(sql), null, null, true, millis(t0));
        } catch (NodeSql.SqlFailure e) {
            long millis = millis(t0);
            rollback(sql);
            String where = current == null
                    ? ""
                    : "statement " + (m.plan.statements().indexOf(current) + 1) + " (line " + current.line() + "): ";
            String error = where + e.getMessage();
            if ("23505".equals(e.sqlState()) && current == null) {
                error = "version " + m.version + " is already applied to database " + m.database
                        + " (pgops_ledger.schema_migrations): " + e.getMessage();
            }
            return new Outcome(
                    false,
                    node,
                    null,
                    error + "; the transaction was rolled back, nothing of it applied",
                    e.sqlState(),
                    true,
                    millis);
        }
    }

    private Outcome alone(NodeSql sql, Migration m, String backupId, Duration lock, Duration statement) {
        String node = sql.node().value();
        ScriptSplitter.Statement s = m.plan.statements().getFirst();
        String index = m.plan.concurrentIndex().orElse(null);
        long t0 = System.nanoTime();
        List<Long> before;
        try {
            sql.timeouts(lock, statement);
            before = index == null ? List.of() : MigrationLedger.indexesNamed(sql, index);
        } catch (NodeSql.SqlFailure e) {
            return new Outcome(false, node, null, "not started: " + e.getMessage(), e.sqlState(), true, millis(t0));
        }
        try {
            sql.execute(s.text());
        } catch (NodeSql.SqlFailure e) {
            long millis = millis(t0);
            if (index == null) {
                return new Outcome(
                        false,
                        node,
                        null,
                        e.getMessage() + "; it ran outside a transaction and may have left partial changes",
                        e.sqlState(),
                        false,
                        millis);
            }
            Cleanup c = dropLeftovers(m, index, before, sql);
            return new Outcome(false, node, null, e.getMessage() + "; " + c.summary, e.sqlState(), c.clean, millis);
        }
        long millis = millis(t0);
        try {
            MigrationLedger.ensure(sql);
            MigrationLedger.record(sql, m, backupId, millis);
        } catch (NodeSql.SqlFailure e) {
            return new Outcome(
                    false,
                    node,
                    null,
                    "the statement was applied but its version could not be recorded in pgops_ledger.schema_migrations: "
                            + e.getMessage(),
                    e.sqlState(),
                    false,
                    millis);
        }
        try {
            MigrationQueue.remove(sql, m.migrationId);
        } catch (NodeSql.SqlFailure e) {
            LOG.warnf("migration %s: its pending row stays until the next claim removes it (%s)", m.migrationId, e);
        }
        return new Outcome(true, node, MigrationLedger.walPosition(sql), null, null, true, millis);
    }

    private record Cleanup(boolean clean, String summary) {}

    /** Drops the INVALID indexes a failed concurrent build left, on a fresh connection if the old one broke. */
    private Cleanup dropLeftovers(Migration m, String index, List<Long> before, NodeSql failed) {
        NodeSql sql = failed;
        boolean own = false;
        try {
            if (!failed.isUsable()) {
                sql = nodes.primary(
                        m.cluster, m.database, policies.config().migration().statementTimeout());
                own = true;
            }
            List<ObjectName> leftovers = MigrationLedger.invalidLeftovers(sql, index, before);
            if (leftovers.isEmpty()) {
                return new Cleanup(true, "it left no INVALID index");
            }
            List<String> dropped = new ArrayList<>();
            for (ObjectName o : leftovers) {
                sql.execute("DROP INDEX CONCURRENTLY IF EXISTS " + o.quoted());
                dropped.add(o.text());
                LOG.infof("migration %s: dropped the INVALID index %s a failed build left", m.migrationId, o.text());
            }
            return new Cleanup(true, "the INVALID index " + String.join(", ", dropped) + " it left was dropped");
        } catch (RuntimeException e) {
            return new Cleanup(
                    false,
                    "the INVALID index it may have left could not be dropped (" + e.getMessage()
                            + "): drop it with DROP INDEX CONCURRENTLY");
        } finally {
            if (own) {
                sql.close();
            }
        }
    }

    private static void rollback(NodeSql sql) {
        if (!sql.isUsable()) {
            return; // the connection is gone: PostgreSQL rolls an open transaction back when its session ends
        }
        try {
            sql.execute("ROLLBACK");
        } catch (NodeSql.SqlFailure e) {
            LOG.warnf("ROLLBACK failed (%s): closing the connection rolls the transaction back", e.getMessage());
        }
    }

    private static long millis(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
