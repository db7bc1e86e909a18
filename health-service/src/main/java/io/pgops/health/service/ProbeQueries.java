package io.pgops.health.service;

/**
 * The probe's statements, prepared once per kept connection. They read only statistics views and
 * settings, never take a lock a client could wait on, and work on PostgreSQL 15 to 17 (17 moved
 * the checkpoint counters from pg_stat_bgwriter to pg_stat_checkpointer: {@link #counters(int)}).
 */
final class ProbeQueries {
    private ProbeQueries() {}

    /** Role, timeline, WAL position, version; whether a sync standby is configured. */
    static final String BASE = "SELECT pg_is_in_recovery(),"
            + " (SELECT timeline_id FROM pg_control_checkpoint()),"
            + " (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END)::text,"
            + " current_setting('server_version_num')::int,"
            + " current_setting('synchronous_standby_names') <> ''";

    /** On the primary: one row per WAL sender. */
    static final String REPLICAS = "SELECT application_name, state, sync_state,"
            + " write_lsn::text, flush_lsn::text, replay_lsn::text FROM pg_stat_replication";

    /** On the primary: every slot and the WAL it retains. */
    static final String SLOTS = "SELECT slot_name::text, active,"
            + " CASE WHEN restart_lsn IS NULL THEN 0 ELSE (pg_current_wal_lsn() - restart_lsn)::bigint END"
            + " FROM pg_replication_slots";

    /** On a standby: received and replayed positions, replay delay (0 when caught up), pause state. */
    static final String STANDBY = "SELECT pg_last_wal_receive_lsn()::text, pg_last_wal_replay_lsn()::text,"
            + " CASE WHEN pg_last_wal_receive_lsn() IS NULL OR pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn()"
            + " THEN 0 ELSE coalesce((extract(epoch FROM now() - pg_last_xact_replay_timestamp()) * 1000)::bigint, 0)"
            + " END, pg_is_wal_replay_paused()";

    /** $1 long-query age in seconds, $2 text length: the count and the three longest. */
    static final String LONG_QUERIES = "SELECT (count(*) OVER ())::int, pid, usename::text,"
            + " (extract(epoch FROM now() - query_start) * 1000)::bigint, left(query, $2)"
            + " FROM pg_stat_activity WHERE backend_type = 'client backend' AND state = 'active'"
            + " AND pid <> pg_backend_pid() AND query_start < now() - make_interval(secs => $1)"
            + " ORDER BY query_start LIMIT 3";

    /** $1 idle age in seconds, $2 text length: the longest idle transactions. */
    static final String IDLE_IN_TRANSACTION = "SELECT pid, usename::text,"
            + " (extract(epoch FROM now() - state_change) * 1000)::bigint, left(query, $2)"
            + " FROM pg_stat_activity WHERE state IN ('idle in transaction', 'idle in transaction (aborted)')"
            + " AND state_change < now() - make_interval(secs => $1) ORDER BY state_change LIMIT 3";

    /** $1 text length: who waits on a lock, since when, and who holds it (pg_blocking_pids). */
    static final String BLOCKED = "SELECT w.pid, (extract(epoch FROM now() - w.query_start) * 1000)::bigint,"
            + " left(w.query, $1), b.pid, coalesce(b.state, ''), left(b.query, $1)"
            + " FROM pg_stat_activity w CROSS JOIN LATERAL unnest(pg_blocking_pids(w.pid)) AS bp(pid)"
            + " JOIN pg_stat_activity b ON b.pid = bp.pid"
            + " WHERE w.wait_event_type = 'Lock' ORDER BY 2 DESC LIMIT 10";

    /** Client connections against max_connections minus reserved; wraparound ages. */
    static final String CAPACITY = "SELECT"
            + " (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')::int,"
            + " current_setting('max_connections')::int,"
            + " current_setting('superuser_reserved_connections')::int"
            + " + coalesce(current_setting('reserved_connections', true)::int, 0),"
            + " (SELECT max(age(datfrozenxid)) FROM pg_database)::bigint,"
            + " (SELECT max(mxid_age(datminmxid)) FROM pg_database)::bigint";

    /** Archiver, checkpoints, temp bytes and deadlocks, from the view the server's version has. */
    static String counters(int serverVersion) {
        String checkpoints = serverVersion >= 170000
                ? "(SELECT num_timed, num_requested FROM pg_stat_checkpointer)"
                : "(SELECT checkpoints_timed AS num_timed, checkpoints_req AS num_requested FROM pg_stat_bgwriter)";
        return "SELECT a.failed_count, a.last_failed_wal, c.num_timed, c.num_requested,"
                + " d.temp_bytes, d.deadlocks FROM pg_stat_archiver a, " + checkpoints + " c,"
                + " (SELECT coalesce(sum(temp_bytes), 0)::bigint AS temp_bytes,"
                + " coalesce(sum(deadlocks), 0)::bigint AS deadlocks FROM pg_stat_database) d";
    }

    /**
     * ssl, password_encryption, superuser sessions from a non-loopback address, whether pgaudit is preloaded and
     * its {@code pgaudit.log} (null when pgaudit is not loaded: the setting does not exist then).
     */
    static final String SECURITY = "SELECT current_setting('ssl') = 'on', current_setting('password_encryption'),"
            + " (SELECT coalesce(array_agg(a.usename || '@' || host(a.client_addr)), '{}')"
            + " FROM pg_stat_activity a JOIN pg_roles r ON r.rolname = a.usename"
            + " WHERE r.rolsuper AND a.client_addr IS NOT NULL"
            + " AND NOT (a.client_addr << inet '127.0.0.0/8' OR a.client_addr = inet '::1')),"
            + " 'pgaudit' = ANY (string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ',')),"
            + " current_setting('pgaudit.log', true)";

    /** pg_hba rules for network clients that accept a password in the clear or as an MD5 hash. */
    static final String HBA_WEAK = "SELECT line_number, type, array_to_string(database, ','),"
            + " array_to_string(user_name, ','), coalesce(address, ''), coalesce(netmask, ''), auth_method"
            + " FROM pg_hba_file_rules WHERE error IS NULL AND type <> 'local' AND auth_method IN ('md5', 'password')";

    /** pg_hba rules that trust network clients or admit any address. */
    static final String HBA = "SELECT line_number, type, array_to_string(database, ','),"
            + " array_to_string(user_name, ','), coalesce(address, ''), coalesce(netmask, ''), auth_method"
            + " FROM pg_hba_file_rules WHERE error IS NULL AND type <> 'local'"
            + " AND (auth_method = 'trust' OR address = 'all'"
            + " OR (address IN ('0.0.0.0', '::') AND netmask IN ('0.0.0.0', '::')))";
}
