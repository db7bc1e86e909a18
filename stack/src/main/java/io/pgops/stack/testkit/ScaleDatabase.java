package io.pgops.stack.testkit;

import io.pgops.stack.postgres.PgNode;

/**
 * A catalogue the size of a large shop's, built on a node of the test kit for scale benches: {@code tables} tables
 * in one schema, each with a primary key and one more index (so twice as many indexes as tables, TOAST tables
 * beside them), 20 rows each, half of them with 10 rows updated, every hundredth with 2,000 more rows all updated (dead
 * tuples enough to make a vacuum candidate), every thousandth with 40,000 more rows of which three in four are deleted
 * (spread over every page, so no vacuum can truncate them: ~3 MB of table bloat each for the bloat report to find),
 * and every table analysed, so every statistics view and {@code pg_stats} has one row per table or column to read.
 */
public final class ScaleDatabase {
    /** Tables per transaction: each takes ~5 locks, well inside the shared lock table. */
    private static final int BATCH = 200;

    private ScaleDatabase() {}

    /**
     * Builds it (dropping any earlier one of the same schema) in the node's {@code postgres} database.
     *
     * @param schema a plain lower-case identifier, e.g. {@code scale}
     * @return how long the build took, in milliseconds
     */
    public static long build(PgNode node, String schema, int tables) {
        if (!schema.matches("[a-z_][a-z0-9_]{0,30}")) {
            throw new IllegalArgumentException("schema must be a plain lower-case identifier: " + schema);
        }
        long t0 = System.nanoTime();
        node.sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema);
        for (int from = 1; from <= tables; from += BATCH) {
            int to = Math.min(tables, from + BATCH - 1);
            node.sql("DO $$ BEGIN FOR i IN " + from + ".." + to + " LOOP"
                    + " EXECUTE format('CREATE TABLE " + schema + ".t%s (id bigint PRIMARY KEY, a int, b text)', i);"
                    + " EXECUTE format('CREATE INDEX t%s_a ON " + schema + ".t%s (a)', i, i);"
                    + " EXECUTE format('INSERT INTO " + schema
                    + ".t%s SELECT g, g %% 7, md5(g::text) FROM generate_series(1, 20) g', i);"
                    + " IF i % 2 = 0 THEN EXECUTE format('UPDATE " + schema + ".t%s SET a = a + 1 WHERE id <= 10', i);"
                    + " END IF; IF i % 100 = 0 THEN EXECUTE format('INSERT INTO " + schema
                    + ".t%s SELECT g, 0, md5(g::text) FROM generate_series(21, 2020) g', i);"
                    + " EXECUTE format('UPDATE " + schema + ".t%s SET a = 1 WHERE id > 20', i);"
                    + " END IF; IF i % 1000 = 0 THEN EXECUTE format('INSERT INTO " + schema
                    + ".t%s SELECT g, g %% 5, md5(g::text) || md5((g + 1)::text) FROM generate_series(3001, 43000) g',"
                    + " i); EXECUTE format('DELETE FROM " + schema + ".t%s WHERE id > 3000 AND id %% 4 <> 0', i);"
                    + " END IF; EXECUTE format('ANALYZE " + schema + ".t%s', i); END LOOP; END $$");
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** Counts what {@link #build} made: tables and indexes in the schema. */
    public static String counts(PgNode node, String schema) {
        return node.sql("SELECT count(*) FILTER (WHERE c.relkind = 'r') || ' tables, '"
                + " || count(*) FILTER (WHERE c.relkind = 'i') || ' indexes'"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '" + schema + "'");
    }
}
