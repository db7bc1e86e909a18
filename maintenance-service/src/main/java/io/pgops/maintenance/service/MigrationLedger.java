package io.pgops.maintenance.service;

import io.pgops.maintenance.domain.ObjectName;
import io.vertx.mutiny.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The ledger of applied migrations: {@code pgops_ledger.schema_migrations} in the migrated database itself, as
 * Flyway keeps its history table. In the database and not in a store of the service's own (it has none)
 * because then the row commits in the same transaction as the migration: a migration is in the ledger if and
 * only if it was applied, whatever crashed in between, and a restore of the database brings its ledger along.
 * The version is the primary key, so two requests of one version racing each other cannot both commit. The
 * schema is {@code pgops_ledger}, not {@code pgops}: a schema named like the connecting role (the stack's role is
 * {@code pgops}) is first on the default {@code search_path} ({@code "$user", public}), and every unqualified
 * {@code CREATE TABLE} of later migrations would land in it (found by the system test).
 */
final class MigrationLedger {
    static final String CREATE_SCHEMA = "CREATE SCHEMA IF NOT EXISTS pgops_ledger";
    static final String CREATE_TABLE = "CREATE TABLE IF NOT EXISTS pgops_ledger.schema_migrations ("
            + " version text PRIMARY KEY,"
            + " description text NOT NULL,"
            + " checksum text NOT NULL,"
            + " migration_id uuid NOT NULL,"
            + " correlation_id text NOT NULL,"
            + " backup_id text,"
            + " principal text NOT NULL,"
            + " reason text NOT NULL,"
            + " applied_at timestamptz NOT NULL DEFAULT now(),"
            + " duration_ms bigint NOT NULL)";
    static final String INSERT = "INSERT INTO pgops_ledger.schema_migrations (version, description, checksum,"
            + " migration_id, correlation_id, backup_id, principal, reason, duration_ms)"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

    private MigrationLedger() {}

    /** An applied version: when and with which script. */
    record Applied(String version, String checksum, OffsetDateTime appliedAt, String principal) {}

    /** The version's ledger row, if the database has a ledger and the version is in it. */
    static Optional<Applied> applied(NodeSql sql, String version) {
        boolean exists = sql.query("SELECT to_regclass('pgops_ledger.schema_migrations') IS NOT NULL")
                .iterator()
                .next()
                .getBoolean(0);
        if (!exists) {
            return Optional.empty();
        }
        List<Applied> rows = sql.list(
                "SELECT version, checksum, applied_at, principal FROM pgops_ledger.schema_migrations WHERE version = $1",
                (Row r) -> new Applied(r.getString(0), r.getString(1), r.getOffsetDateTime(2), r.getString(3)),
                version);
        return rows.stream().findFirst();
    }

    /** Creates the ledger if missing (inside the caller's transaction when it has one). */
    static void ensure(NodeSql sql) {
        sql.execute(CREATE_SCHEMA);
        sql.execute(CREATE_TABLE);
    }

    static void record(NodeSql sql, Migration m, String backupId, long durationMillis) {
        sql.query(
                INSERT,
                m.version,
                m.description,
                m.checksum,
                UUID.fromString(m.migrationId),
                m.correlationId,
                backupId,
                m.requester.principal(),
                m.reason,
                durationMillis);
    }

    /** The oids of the indexes called {@code name} (any schema) right now. */
    static List<Long> indexesNamed(NodeSql sql, String name) {
        return sql.list(
                "SELECT c.oid::bigint FROM pg_class c WHERE c.relkind IN ('i', 'I') AND c.relname::text = $1",
                r -> r.getLong(0),
                name);
    }

    /** The INVALID indexes called {@code name} that are not among {@code before}. */
    static List<ObjectName> invalidLeftovers(NodeSql sql, String name, List<Long> before) {
        return sql
                .list(
                        "SELECT n.nspname::text, c.relname::text, c.oid::bigint FROM pg_class c"
                                + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                                + " JOIN pg_index i ON i.indexrelid = c.oid"
                                + " WHERE c.relname::text = $1 AND NOT i.indisvalid",
                        r -> new Object[] {new ObjectName(r.getString(0), r.getString(1)), r.getLong(2)},
                        name)
                .stream()
                .filter(o -> !before.contains((Long) o[1]))
                .map(o -> (ObjectName) o[0])
                .toList();
    }

    /** The primary's WAL position now, as text ({@code 0/3000148}). */
    static String walPosition(NodeSql sql) {
        return sql.query("SELECT pg_current_wal_lsn()::text").iterator().next().getString(0);
    }
}
