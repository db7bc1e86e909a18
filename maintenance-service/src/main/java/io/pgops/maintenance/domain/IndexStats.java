package io.pgops.maintenance.domain;

import java.util.Objects;

/**
 * An index as the catalogue and {@code pg_stat_all_indexes} describe it.
 *
 * @param index the index
 * @param table its table
 * @param scans {@code idx_scan} since the last statistics reset
 * @param sizeBytes {@code relpages} × block size: the size as of its last vacuum, analyze or build, bytes
 * @param valid {@code indisvalid}: false for an index whose concurrent build failed or is still running
 * @param unique {@code indisunique}
 * @param backsConstraint a primary key, unique or exclusion constraint uses it ({@code pg_constraint.conindid})
 * @param buildInProgress a {@code CREATE INDEX} or {@code REINDEX} on its table is running right now
 *     ({@code pg_stat_progress_create_index})
 * @param shape what makes two indexes the same: access method, columns, operator classes, expressions and
 *     predicate ({@code indkey}, {@code indclass}, {@code indexprs}, {@code indpred})
 * @param definition {@code pg_get_indexdef}, for people
 */
public record IndexStats(
        ObjectName index,
        ObjectName table,
        long scans,
        long sizeBytes,
        boolean valid,
        boolean unique,
        boolean backsConstraint,
        boolean buildInProgress,
        String shape,
        String definition) {
    public IndexStats {
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(definition, "definition");
    }
}
