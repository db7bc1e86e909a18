package io.pgops.maintenance.service;

import io.vertx.mutiny.sqlclient.Row;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Migrations accepted and not yet over, kept where they survive a restart of the instance that accepted them: {@code
 * pgops_ledger.pending_migrations} in the migrated database itself, beside the ledger (the service has no store of its
 * own, and the script belongs to that database: it runs there). Written before {@code MigrationRequested} is
 * published; deleted in the migration's own transaction (so a migration is pending or in the ledger, never both after
 * a commit), or when it fails. Each row names its owner (the instance id) and when the owner last claimed it: an
 * instance holds its rows by touching them, and takes over a row whose owner has not for {@code stale-after} (its own
 * rows at once after a restart). The table grants nothing to {@code PUBLIC}: the script may name a password.
 */
final class MigrationQueue {
    static final String CREATE_TABLE = "CREATE TABLE IF NOT EXISTS pgops_ledger.pending_migrations ("
            + " migration_id uuid PRIMARY KEY,"
            + " correlation_id text NOT NULL,"
            + " cluster text NOT NULL,"
            + " version text NOT NULL UNIQUE,"
            + " description text NOT NULL,"
            + " checksum text NOT NULL,"
            + " script text NOT NULL,"
            + " principal text NOT NULL,"
            + " roles text NOT NULL,"
            + " reason text NOT NULL,"
            + " requested_at timestamptz NOT NULL,"
            + " state text NOT NULL,"
            + " owner text NOT NULL,"
            + " claimed_at timestamptz NOT NULL DEFAULT now())";

    private MigrationQueue() {}

    /** A pending migration as its row holds it. */
    record Pending(
            String migrationId,
            String correlationId,
            String cluster,
            String version,
            String description,
            String checksum,
            String script,
            String principal,
            List<String> roles,
            String reason,
            OffsetDateTime requestedAt,
            String state,
            String owner) {}

    /** Creates the table if missing. */
    static void ensure(NodeSql sql) {
        sql.execute(MigrationLedger.CREATE_SCHEMA);
        sql.execute(CREATE_TABLE);
        sql.execute("REVOKE ALL ON pgops_ledger.pending_migrations FROM PUBLIC");
    }

    static void insert(NodeSql sql, Migration m, String owner) {
        sql.query(
                "INSERT INTO pgops_ledger.pending_migrations (migration_id, correlation_id, cluster, version,"
                        + " description, checksum, script, principal, roles, reason, requested_at, state, owner)"
                        + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                UUID.fromString(m.migrationId),
                m.correlationId,
                m.cluster.value(),
                m.version,
                m.description,
                m.checksum,
                m.script,
                m.requester.principal(),
                String.join(",", m.requester.roles()),
                m.reason,
                m.requestedAt.atOffset(java.time.ZoneOffset.UTC),
                m.state().code(),
                owner);
    }

    /**
     * Marks the row {@code applying}, if {@code owner} still holds it (no other instance took it over meanwhile).
     *
     * @return whether it does
     */
    static boolean applying(NodeSql sql, String migrationId, String owner) {
        return sql.query(
                                "UPDATE pgops_ledger.pending_migrations SET state = 'applying', claimed_at = now()"
                                        + " WHERE migration_id = $1 AND owner = $2",
                                UUID.fromString(migrationId),
                                owner)
                        .rowCount()
                == 1;
    }

    /** Deletes the row (in the caller's transaction when it has one); no error if it is gone. */
    static void remove(NodeSql sql, String migrationId) {
        sql.query("DELETE FROM pgops_ledger.pending_migrations WHERE migration_id = $1", UUID.fromString(migrationId));
    }

    /** Whether the database has the table. */
    static boolean exists(NodeSql sql) {
        return sql.query("SELECT to_regclass('pgops_ledger.pending_migrations') IS NOT NULL")
                .iterator()
                .next()
                .getBoolean(0);
    }

    /**
     * Takes over the rows of {@code cluster} that {@code owner} may: its own (which only touches those it holds), and
     * those whose owner has not touched them for {@code staleAfter}; the claimed rows are returned (one statement, so
     * two instances never both take a row).
     */
    static List<Pending> claim(NodeSql sql, String cluster, String owner, Duration staleAfter) {
        return sql.list(
                "UPDATE pgops_ledger.pending_migrations SET owner = $2, claimed_at = now()"
                        + " WHERE cluster = $1 AND (owner = $2 OR claimed_at < now() - make_interval(secs => $3))"
                        + " RETURNING migration_id::text, correlation_id, cluster, version, description, checksum,"
                        + " script, principal, roles, reason, requested_at, state, owner",
                (Row r) -> new Pending(
                        r.getString(0),
                        r.getString(1),
                        r.getString(2),
                        r.getString(3),
                        r.getString(4),
                        r.getString(5),
                        r.getString(6),
                        r.getString(7),
                        r.getString(8).isEmpty()
                                ? List.of()
                                : List.of(r.getString(8).split(",")),
                        r.getString(9),
                        r.getOffsetDateTime(10),
                        r.getString(11),
                        r.getString(12)),
                cluster,
                owner,
                (double) staleAfter.toSeconds());
    }
}
