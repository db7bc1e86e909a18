package io.pgops.audit.service;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Creates the audit table and its append-only guards in pgops' own PostgreSQL, and reports what the
 * database enforces. The service creates them when it owns the table (the local stack); a table
 * provisioned by a separate owner role (see the README) is only checked.
 */
@ApplicationScoped
public class AuditSchema {
    private static final Logger LOG = Logger.getLogger(AuditSchema.class);
    /** Serialises schema creation between instances starting together. */
    private static final long SCHEMA_LOCK = 0x7067_6f70_7361_7500L;

    static final String TABLE = """
            CREATE TABLE IF NOT EXISTS audit_event (
              seq             bigint PRIMARY KEY CHECK (seq > 0),
              event_id        uuid NOT NULL UNIQUE,
              type            text NOT NULL,
              cluster_id      text NOT NULL,
              node            text,
              source          text NOT NULL,
              event_time      timestamptz NOT NULL,
              correlation_id  text NOT NULL,
              principal       text,
              topic           text,
              kafka_partition int,
              kafka_offset    bigint,
              recorded_at     timestamptz NOT NULL DEFAULT now(),
              event           bytea NOT NULL,
              hash            bytea NOT NULL CHECK (length(hash) = 32)
            );
            CREATE INDEX IF NOT EXISTS audit_event_cluster ON audit_event (cluster_id, seq);
            -- flows are looked up by equality. pgops makes its ids time-ordered (UUID version 7), so a new
            -- flow's id sorts after the older ones and a b-tree takes it near its end; a hash index
            -- scatters every id onto a random bucket page, which cost ~9 us per row here
            CREATE INDEX IF NOT EXISTS audit_event_flow ON audit_event (correlation_id);
            DROP INDEX IF EXISTS audit_event_correlation_hash;
            DROP INDEX IF EXISTS audit_event_correlation;
            CREATE INDEX IF NOT EXISTS audit_event_time ON audit_event USING brin (event_time);
            """;

    static final String GUARDS = """
            CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              RAISE EXCEPTION 'audit_event is append-only: % is refused', TG_OP
                USING ERRCODE = 'insufficient_privilege';
            END $$;
            CREATE OR REPLACE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON audit_event
              FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
            CREATE OR REPLACE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
              FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
            REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM PUBLIC;
            REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM CURRENT_USER;
            """;

    static final String INSPECT = """
            SELECT pg_get_userbyid(c.relowner) AS owner, current_user AS service_role,
              has_table_privilege(c.oid, 'UPDATE') AS may_update,
              has_table_privilege(c.oid, 'DELETE') AS may_delete,
              has_table_privilege(c.oid, 'TRUNCATE') AS may_truncate,
              (SELECT count(*) FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgenabled <> 'D'
                 AND t.tgname IN ('audit_event_no_update_delete', 'audit_event_no_truncate')) = 2 AS triggers
            FROM pg_class c WHERE c.oid = 'audit_event'::regclass""";

    private final Pool pool;
    private volatile boolean created;

    public AuditSchema(Pool pool) {
        this.pool = pool;
    }

    /** Creates what is missing and returns what the database enforces. */
    public Uni<AppendOnlyGuards> create() {
        return pool.withTransaction(conn -> conn.query("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")")
                        .execute()
                        .chain(() -> retireUnchainedTable(conn))
                        .chain(() -> conn.query("SELECT pg_get_userbyid(relowner) = current_user FROM pg_class"
                                        + " WHERE oid = to_regclass('audit_event')")
                                .execute())
                        .chain(rows -> {
                            boolean exists = rows.size() == 1;
                            boolean owned = exists && rows.iterator().next().getBoolean(0);
                            if (exists && !owned) {
                                return Uni.createFrom().voidItem(); // provisioned by its owner: only check
                            }
                            return conn.query(TABLE + GUARDS).execute().replaceWithVoid();
                        }))
                .chain(this::guards)
                .invoke(g -> created = true)
                .invoke(g -> {
                    if (g.serviceOwnsTable() || !g.rejectTriggers()) {
                        LOG.warnf("audit trail append-only guards: %s", g.summary());
                    } else {
                        LOG.infof("audit trail append-only guards: %s", g.summary());
                    }
                });
    }

    /** Whether {@link #create()} has completed in this process (the table can be read). */
    public boolean isCreated() {
        return created;
    }

    /** What the database enforces now. */
    public Uni<AppendOnlyGuards> guards() {
        // on a connection of its own, not pool.query(..): see AuditQueries
        return pool.withConnection(conn -> conn.query(INSPECT).execute()).map(rows -> {
            Row r = rows.iterator().next();
            return new AppendOnlyGuards(
                    r.getString("owner"),
                    r.getString("service_role"),
                    r.getBoolean("may_update"),
                    r.getBoolean("may_delete"),
                    r.getBoolean("may_truncate"),
                    r.getBoolean("triggers"));
        });
    }

    /** A table from before the hash chain (no hash column) is kept aside, renamed, and a new chain starts. */
    private Uni<Void> retireUnchainedTable(SqlConnection conn) {
        return conn.query("SELECT 1 FROM pg_class WHERE oid = to_regclass('audit_event') AND NOT EXISTS"
                        + " (SELECT 1 FROM pg_attribute WHERE attrelid = oid AND attname = 'hash')")
                .execute()
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().voidItem();
                    }
                    LOG.warn(
                            "audit_event predates the hash chain: renamed to audit_event_unchained; a new chain starts");
                    return conn.query("ALTER TABLE audit_event RENAME TO audit_event_unchained;"
                                    + " ALTER INDEX IF EXISTS audit_event_pkey RENAME TO audit_event_unchained_pkey;"
                                    + " ALTER INDEX IF EXISTS audit_event_event_id_key"
                                    + " RENAME TO audit_event_unchained_event_id_key")
                            .execute()
                            .replaceWithVoid();
                });
    }
}
