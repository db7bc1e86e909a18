package io.pgops.maintenance.service;

import io.pgops.maintenance.domain.BloatEstimate;
import io.pgops.maintenance.domain.CatalogueCheck;
import io.pgops.maintenance.domain.IndexBloatEstimate;
import io.pgops.maintenance.domain.IndexStats;
import io.pgops.maintenance.domain.ObjectName;
import io.pgops.maintenance.domain.TableStats;
import io.pgops.maintenance.domain.TaskKind;
import io.pgops.maintenance.domain.TaskOutcome;
import io.pgops.maintenance.domain.VacuumPolicy;
import java.util.List;

/** Reads the catalogue and statistics of a node into the domain's records. */
final class Catalogue {
    private static final String[] TABLE_KINDS = {"r", "p", "m"};
    private static final String[] INDEX_KINDS = {"i", "I"};

    private Catalogue() {}

    static List<TableStats> tables(NodeSql sql, VacuumPolicy policy) {
        return sql.list(
                Queries.TABLE_STATS,
                r -> new TableStats(
                        new ObjectName(r.getString(0), r.getString(1)),
                        r.getLong(2),
                        r.getLong(3),
                        r.getLong(4),
                        r.getBoolean(5),
                        r.getLong(6)),
                policy.minDeadTuples(),
                policy.minModifications());
    }

    static List<IndexStats> indexes(NodeSql sql) {
        return sql.list(
                Queries.INDEXES,
                r -> new IndexStats(
                        new ObjectName(r.getString(0), r.getString(1)),
                        new ObjectName(r.getString(2), r.getString(3)),
                        r.getLong(4),
                        r.getLong(5),
                        r.getBoolean(6),
                        r.getBoolean(7),
                        r.getBoolean(8),
                        r.getBoolean(9),
                        r.getString(10),
                        r.getString(11)));
    }

    static List<BloatEstimate.Facts> bloatFacts(NodeSql sql) {
        return sql.list(
                Queries.BLOAT,
                r -> new BloatEstimate.Facts(
                        new ObjectName(r.getString(0), r.getString(1)),
                        r.getLong(2),
                        r.getDouble(3),
                        r.getInteger(4),
                        r.getInteger(5),
                        r.getInteger(6)));
    }

    static List<IndexBloatEstimate.Facts> indexBloatFacts(NodeSql sql) {
        return sql.list(
                Queries.INDEX_BLOAT,
                r -> new IndexBloatEstimate.Facts(
                        new ObjectName(r.getString(0), r.getString(1)),
                        new ObjectName(r.getString(2), r.getString(3)),
                        r.getLong(4),
                        r.getDouble(5),
                        r.getInteger(6),
                        r.getInteger(7),
                        r.getInteger(8),
                        r.getBoolean(9)));
    }

    /**
     * The one relation of the catalogue that {@code requested} names, for a task of {@code kind}.
     *
     * @throws CatalogueCheck.UnknownObject if none or several
     */
    static ObjectName resolve(NodeSql sql, TaskKind kind, String requested) {
        String what = kind.target() == TaskKind.Target.TABLE ? "table" : "index";
        CatalogueCheck.checkShape(requested, what);
        String[] kinds = kind.target() == TaskKind.Target.TABLE ? TABLE_KINDS : INDEX_KINDS;
        List<ObjectName> found = sql.list(
                Queries.CATALOGUE_LOOKUP, r -> new ObjectName(r.getString(0), r.getString(1)), kinds, requested);
        return CatalogueCheck.resolve(requested, what, found);
    }

    /**
     * A relation's size and dead tuples at one moment.
     *
     * @param sizeBytes {@code pg_relation_size}; null once it is gone
     * @param deadTuples {@code n_dead_tup}; null for an index or once it is gone
     */
    record Measure(Long sizeBytes, Long deadTuples) {
        static TaskOutcome between(Measure before, Measure after) {
            return new TaskOutcome(before.deadTuples(), after.deadTuples(), before.sizeBytes(), after.sizeBytes());
        }
    }

    /** Size as of the last vacuum or analyze, without a lock; 0 if unknown. */
    static long sizeEstimate(NodeSql sql, ObjectName target) {
        var rows = sql.query(Queries.SIZE_ESTIMATE, target.quoted());
        Long size = rows.size() == 0 ? null : rows.iterator().next().getLong(0);
        return size == null ? 0 : size;
    }

    /** Size and dead tuples of a relation now. */
    static Measure measure(NodeSql sql, ObjectName target) {
        var rows = sql.query(Queries.MEASURE, target.quoted());
        if (rows.size() == 0) {
            return new Measure(null, null);
        }
        var r = rows.iterator().next();
        return new Measure(r.getLong(0), r.getLong(1));
    }
}
