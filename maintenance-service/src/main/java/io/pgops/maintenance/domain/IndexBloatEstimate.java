package io.pgops.maintenance.domain;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A B-tree index's bloat estimated from statistics, as the well-known btree bloat queries do it: how many leaf pages
 * its {@code reltuples} entries of the key's average width ({@code pg_stats.avg_width} of its columns) would fill at
 * its fill factor (90 unless set), plus the metapage, against the pages it has. Internal pages are not counted, so a
 * tight index shows a little bloat (about 1 %). Expression indexes and indexes of columns without statistics are left
 * out. Pages a vacuum emptied stay in the index until it is rebuilt: that is what {@code REINDEX} gives back.
 *
 * @param index the index
 * @param table its table
 * @param actualBytes its size on disk ({@code relpages × block size}), bytes
 * @param expectedBytes what its entries would need, bytes
 * @param bloatBytes {@code actual − expected}, at least 0
 * @param bloatRatio {@code bloatBytes / actualBytes}
 */
public record IndexBloatEstimate(
        ObjectName index, ObjectName table, long actualBytes, long expectedBytes, long bloatBytes, double bloatRatio) {
    /** An index tuple's header (8 bytes, with the key aligned to 8) comes on top of the key; its line pointer is 4. */
    static final int TUPLE_HEADER = 8;

    static final int LINE_POINTER = 4;

    /** The page header (24) and the B-tree special space (16). */
    static final int PAGE_OVERHEAD = 24 + 16;

    /**
     * An index's facts as {@code pg_class}, {@code pg_index} and {@code pg_stats} give them.
     *
     * @param pages {@code relpages}
     * @param tuples {@code reltuples}; negative if never vacuumed or analyzed
     * @param keyWidth sum of {@code pg_stats.avg_width} over its columns; {@code null} without statistics for each
     * @param fillFactor its fill factor, percent (90 unless set)
     * @param valid {@code indisvalid}: an invalid index is not estimated (the index advisor has a remedy for it)
     */
    public record Facts(
            ObjectName index,
            ObjectName table,
            long pages,
            double tuples,
            Integer keyWidth,
            int fillFactor,
            int blockSize,
            boolean valid) {
        public Facts {
            Objects.requireNonNull(index, "index");
            Objects.requireNonNull(table, "table");
        }
    }

    /** The estimate, or {@code null} for an invalid index or one without statistics. */
    public static IndexBloatEstimate of(Facts f) {
        if (!f.valid() || f.keyWidth() == null || f.tuples() < 0) {
            return null;
        }
        long actual = f.pages() * f.blockSize();
        long tupleBytes = LINE_POINTER + align8(TUPLE_HEADER + f.keyWidth());
        long usable = (long) ((f.blockSize() - PAGE_OVERHEAD) * (f.fillFactor() / 100.0));
        long perPage = Math.max(1, usable / tupleBytes);
        long expectedPages = (long) Math.ceil(f.tuples() / perPage) + 1;
        long expected = expectedPages * f.blockSize();
        long bloat = Math.max(0, actual - expected);
        return new IndexBloatEstimate(
                f.index(), f.table(), actual, expected, bloat, actual == 0 ? 0 : (double) bloat / actual);
    }

    /** The estimates with at least {@code minBytes} of bloat, the most bloat first. */
    public static List<IndexBloatEstimate> ranked(List<Facts> indexes, long minBytes) {
        return indexes.stream()
                .map(IndexBloatEstimate::of)
                .filter(Objects::nonNull)
                .filter(b -> b.bloatBytes() >= minBytes)
                .sorted(Comparator.comparingLong(IndexBloatEstimate::bloatBytes).reversed())
                .toList();
    }

    /**
     * {@code REINDEX INDEX CONCURRENTLY} of each valid index with at least {@code minBytes} of estimated bloat that is
     * at least {@code minRatio} of its size; the most bloat first.
     */
    public static List<Task> reindexTasks(List<Facts> indexes, long minBytes, double minRatio) {
        return ranked(indexes, minBytes).stream()
                .filter(b -> b.bloatRatio() >= minRatio)
                .map(b -> new Task(
                        TaskKind.REINDEX,
                        b.index(),
                        "estimated " + Figures.bytes(b.bloatBytes()) + " of bloat, " + Figures.percent(b.bloatRatio())
                                + " of its " + Figures.bytes(b.actualBytes()) + " (limit " + Figures.percent(minRatio)
                                + ", at least " + Figures.bytes(minBytes) + ")",
                        b.bloatBytes(),
                        b.actualBytes()))
                .toList();
    }

    private static long align8(long n) {
        return (n + 7) / 8 * 8;
    }
}
