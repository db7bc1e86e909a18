package io.pgops.maintenance.service;

/**
 * Every statement the reports and runs read with; values are bound parameters ({@code $1}). They work on
 * PostgreSQL 15–17 and leave out the system schemas. The reports take no relation lock (sizes come from
 * {@code relpages}): they must answer while someone holds a table locked, which is when the blocking report is
 * needed.
 */
final class Queries {
    private Queries() {}

    /** With a leading space: a text block drops the trailing space of the line it is appended to. */
    static final String USER_SCHEMAS =
            " n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'";

    /** Tables past the minimums ($1 dead tuples, $2 modifications) or never analyzed. */
    static final String TABLE_STATS = """
            SELECT s.schemaname, s.relname, s.n_live_tup, s.n_dead_tup, s.n_mod_since_analyze,
                   (s.last_analyze IS NOT NULL OR s.last_autoanalyze IS NOT NULL) AS analyzed,
                   (SELECT c.relpages::bigint * current_setting('block_size')::bigint FROM pg_class c
                    WHERE c.oid = s.relid) AS size
            FROM pg_stat_user_tables s
            WHERE s.n_dead_tup >= $1 OR s.n_mod_since_analyze >= $2
               OR (s.last_analyze IS NULL AND s.last_autoanalyze IS NULL AND s.n_live_tup >= $2)
            """;

    static final String INDEXES = """
            SELECT n.nspname, ic.relname, tn.nspname, tc.relname, coalesce(s.idx_scan, 0),
                   ic.relpages::bigint * current_setting('block_size')::bigint, i.indisvalid, i.indisunique,
                   EXISTS (SELECT 1 FROM pg_constraint k
                           WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x')),
                   EXISTS (SELECT 1 FROM pg_stat_progress_create_index p WHERE p.relid = i.indrelid),
                   concat_ws(' | ', ic.relam::text, i.indkey::text, i.indclass::text, i.indcollation::text,
                             i.indoption::text, coalesce(pg_get_expr(i.indexprs, i.indrelid), '-'),
                             coalesce(pg_get_expr(i.indpred, i.indrelid), '-')),
                   pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            JOIN pg_class ic ON ic.oid = i.indexrelid
            JOIN pg_namespace n ON n.oid = ic.relnamespace
            JOIN pg_class tc ON tc.oid = i.indrelid
            JOIN pg_namespace tn ON tn.oid = tc.relnamespace
            LEFT JOIN pg_stat_all_indexes s ON s.indexrelid = i.indexrelid
            WHERE """ + USER_SCHEMAS;

    static final String BLOAT = """
            WITH w AS (SELECT schemaname, tablename, sum(avg_width)::int AS width FROM pg_stats GROUP BY 1, 2)
            SELECT n.nspname, c.relname, c.relpages::bigint, c.reltuples::float8, w.width,
                   coalesce((SELECT substring(o FROM 'fillfactor=([0-9]+)')::int
                             FROM unnest(c.reloptions) o WHERE o LIKE 'fillfactor=%'), 100),
                   current_setting('block_size')::int
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN w ON w.schemaname = n.nspname AND w.tablename = c.relname
            WHERE c.relkind IN ('r', 'm') AND """ + USER_SCHEMAS;

    /**
     * B-tree indexes without expressions: pages, entries, the key's width (null unless every column has statistics),
     * fill factor (90 unless set), block size, validity.
     */
    static final String INDEX_BLOAT = """
            SELECT n.nspname, ic.relname, tn.nspname, tc.relname, ic.relpages::bigint, ic.reltuples::float8,
                   (SELECT CASE WHEN count(s.avg_width) = count(*) THEN sum(s.avg_width)::int END
                    FROM unnest(i.indkey::int2[]) k
                    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k
                    LEFT JOIN pg_stats s ON s.schemaname = tn.nspname AND s.tablename = tc.relname
                                        AND s.attname = a.attname AND NOT s.inherited),
                   coalesce((SELECT substring(o FROM 'fillfactor=([0-9]+)')::int
                             FROM unnest(ic.reloptions) o WHERE o LIKE 'fillfactor=%'), 90),
                   current_setting('block_size')::int, i.indisvalid
            FROM pg_index i
            JOIN pg_class ic ON ic.oid = i.indexrelid
            JOIN pg_namespace n ON n.oid = ic.relnamespace
            JOIN pg_class tc ON tc.oid = i.indrelid
            JOIN pg_namespace tn ON tn.oid = tc.relnamespace
            JOIN pg_am am ON am.oid = ic.relam
            WHERE am.amname = 'btree' AND i.indexprs IS NULL AND""" + USER_SCHEMAS;

    static final String TEMP_FILES = """
            SELECT coalesce(sum(temp_files), 0)::bigint, coalesce(sum(temp_bytes), 0)::bigint,
                   (SELECT setting::bigint * 1024 FROM pg_settings WHERE name = 'work_mem'),
                   current_setting('max_connections')::int, min(stats_reset)::text
            FROM pg_stat_database
            """;

    static final String CONNECTIONS = """
            SELECT coalesce(datname, ''), coalesce(usename, ''), coalesce(application_name, ''),
                   coalesce(state, ''), count(*)::int
            FROM pg_stat_activity WHERE backend_type = 'client backend'
            GROUP BY 1, 2, 3, 4 ORDER BY 5 DESC, 1, 2, 3, 4
            """;

    static final String MAX_CONNECTIONS = "SELECT current_setting('max_connections')::int";

    static final String BLOCKING = """
            WITH b AS (SELECT pid, pg_blocking_pids(pid) AS blockers FROM pg_stat_activity
                       WHERE wait_event_type = 'Lock')
            SELECT a.pid, coalesce(b.blockers, '{}'::int[]), coalesce(a.usename, ''), coalesce(a.application_name, ''),
                   coalesce(a.state, ''), coalesce(a.wait_event_type || ':' || a.wait_event, ''),
                   (extract(epoch FROM now() - coalesce(a.state_change, a.backend_start)) * 1000)::bigint,
                   left(coalesce(a.query, ''), 300)
            FROM pg_stat_activity a LEFT JOIN b ON b.pid = a.pid
            WHERE cardinality(b.blockers) > 0 OR a.pid IN (SELECT unnest(blockers) FROM b)
            """;

    /** The schema pg_stat_statements is installed in; no row if it is not installed in this database. */
    static final String STATEMENTS_SCHEMA = """
            SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
            WHERE e.extname = 'pg_stat_statements'
            """;

    /** {@code %s}: the view, quoted; $1 the number of rows. */
    static final String TOP_QUERIES = """
            SELECT s.queryid, left(s.query, 500), s.calls, s.total_exec_time, s.mean_exec_time, s.rows,
                   coalesce(s.total_exec_time / nullif(sum(s.total_exec_time) OVER (), 0), 0),
                   coalesce(r.rolname, ''), coalesce(d.datname, '')
            FROM %s s LEFT JOIN pg_roles r ON r.oid = s.userid LEFT JOIN pg_database d ON d.oid = s.dbid
            ORDER BY s.total_exec_time DESC LIMIT $1
            """;

    /** Relations of kinds $1 whose qualified name, or name in schema public, is $2. */
    static final String CATALOGUE_LOOKUP = """
            SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind::text = ANY($1) AND (n.nspname || '.' || c.relname = $2 OR (n.nspname = 'public' AND c.relname = $2))
            """;

    /**
     * A relation's size as of its last vacuum or analyze ({@code relpages}), by its quoted name, read without a
     * lock: a table someone holds locked must not hang a report or a request.
     */
    static final String SIZE_ESTIMATE = """
            SELECT c.relpages::bigint * current_setting('block_size')::bigint FROM pg_class c
            WHERE c.oid = to_regclass($1)
            """;

    /**
     * A relation's size and (for a table) dead tuples, by its quoted name; no row once it is gone.
     * {@code pg_relation_size} takes the relation's lock: a run measures under its {@code lock_timeout}.
     */
    static final String MEASURE = """
            SELECT pg_relation_size(c.oid), s.n_dead_tup
            FROM pg_class c LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid
            WHERE c.oid = to_regclass($1)
            """;

    /** Microseconds since the epoch of a timestamp, exact (extract returns numeric from PostgreSQL 14 on). */
    private static final String MICROS = "(extract(epoch FROM %s) * 1000000)::bigint";

    /** Every backend, with what the emergency actions judge it by; the statement cut to 300 characters. */
    static final String SESSIONS =
            """
            SELECT a.pid, coalesce(a.backend_type, ''), a.datname, a.usename, coalesce(a.application_name, ''),
                   coalesce(host(a.client_addr), CASE WHEN a.client_port = -1 THEN 'local' ELSE '' END),
                   coalesce(a.state, ''), coalesce(r.rolsuper, false), a.pid = pg_backend_pid(),
            """ + "       " + MICROS.formatted("a.backend_start") + ", " + MICROS.formatted("a.state_change") + ", "
                    + MICROS.formatted("a.query_start") + ", " + MICROS.formatted("clock_timestamp()") + """
            , left(coalesce(a.query, ''), 300)
            FROM pg_stat_activity a LEFT JOIN pg_roles r ON r.oid = a.usesysid
            """;

    /**
     * Signals one session, only if it is still the one judged a moment ago: $1 pid, $2 its backend start, $3 its
     * state, $4 its state change (microseconds; -1 for none). No row: it changed or ended meanwhile. {@code %s}:
     * {@code pg_cancel_backend} or {@code pg_terminate_backend}, never text from outside.
     */
    static final String SIGNAL = "SELECT %s(a.pid) FROM pg_stat_activity a WHERE a.pid = $1 AND "
            + MICROS.formatted("a.backend_start") + " = $2 AND a.state = $3 AND coalesce("
            + MICROS.formatted("a.state_change") + ", -1) = $4";

    static final String DATABASE_EXISTS = "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)";

    static final String ROLE_EXISTS = "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)";

    /**
     * The primary's standbys: name, WAL not yet replayed (bytes), {@code replay_lag} (ms, null when none measured).
     * Only connections that replay (pg_receivewal and pg_basebackup report no replay position).
     */
    static final String STANDBY_LAG = """
            SELECT application_name, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint,
                   (extract(epoch FROM replay_lag) * 1000)::bigint
            FROM pg_stat_replication WHERE replay_lsn IS NOT NULL
            """;
}
