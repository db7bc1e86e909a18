package io.pgops.maintenance.domain;

import java.util.Objects;

/**
 * A table's activity as {@code pg_stat_all_tables} counts it, since the last statistics reset.
 *
 * @param table the table
 * @param liveTuples {@code n_live_tup}
 * @param deadTuples {@code n_dead_tup}
 * @param modificationsSinceAnalyze {@code n_mod_since_analyze}
 * @param everAnalyzed whether it was ever analyzed, by hand or by autovacuum
 * @param sizeBytes {@code relpages} × block size: the size as of its last vacuum or analyze, bytes
 */
public record TableStats(
        ObjectName table,
        long liveTuples,
        long deadTuples,
        long modificationsSinceAnalyze,
        boolean everAnalyzed,
        long sizeBytes) {
    public TableStats {
        Objects.requireNonNull(table, "table");
    }
}
