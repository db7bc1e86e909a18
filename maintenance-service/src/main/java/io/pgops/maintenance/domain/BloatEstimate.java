package io.pgops.maintenance.domain;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A table's bloat estimated from its statistics, as the well-known estimation queries do it: how many pages
 * its {@code reltuples} rows of the average width ({@code pg_stats.avg_width} summed over the columns) would
 * fill at its fill factor, against the pages it has. An estimate: wrong for tables without statistics (they
 * are left out), for wide TOASTed columns and right after a mass delete not yet analyzed.
 *
 * @param table the table
 * @param actualBytes its size on disk ({@code relpages × block size}), bytes
 * @param expectedBytes what its rows would need, bytes
 * @param bloatBytes {@code actual − expected}, at least 0
 * @param bloatRatio {@code bloatBytes / actualBytes}
 */
public record BloatEstimate(
        ObjectName table, long actualBytes, long expectedBytes, long bloatBytes, double bloatRatio) {
    /** A heap tuple's header (23 bytes, aligned to 8) plus its line pointer (4). */
    static final int TUPLE_OVERHEAD = 24 + 4;

    static final int PAGE_HEADER = 24;

    /**
     * A table's facts as {@code pg_class} and {@code pg_stats} give them.
     *
     * @param pages {@code relpages}
     * @param tuples {@code reltuples}; negative if never vacuumed or analyzed
     * @param rowWidth sum of {@code pg_stats.avg_width} over its columns; {@code null} without statistics
     * @param fillFactor the table's fill factor, percent (100 unless set)
     */
    public record Facts(ObjectName table, long pages, double tuples, Integer rowWidth, int fillFactor, int blockSize) {
        public Facts {
            Objects.requireNonNull(table, "table");
        }
    }

    /** The estimate, or {@code null} if the table has no statistics to estimate from. */
    public static BloatEstimate of(Facts f) {
        if (f.rowWidth() == null || f.tuples() < 0) {
            return null;
        }
        long actual = f.pages() * f.blockSize();
        long tupleBytes = TUPLE_OVERHEAD + align8(f.rowWidth());
        long usable = (long) ((f.blockSize() - PAGE_HEADER) * (f.fillFactor() / 100.0));
        long perPage = Math.max(1, usable / tupleBytes);
        long expectedPages = (long) Math.ceil(f.tuples() / perPage);
        long expected = expectedPages * f.blockSize();
        long bloat = Math.max(0, actual - expected);
        return new BloatEstimate(f.table(), actual, expected, bloat, actual == 0 ? 0 : (double) bloat / actual);
    }

    /** The estimates of those with statistics, at least {@code minBytes} of bloat, the most bloat first. */
    public static List<BloatEstimate> ranked(List<Facts> tables, long minBytes) {
        return tables.stream()
                .map(BloatEstimate::of)
                .filter(Objects::nonNull)
                .filter(b -> b.bloatBytes() >= minBytes)
                .sorted(Comparator.comparingLong(BloatEstimate::bloatBytes).reversed())
                .toList();
    }

    private static long align8(long n) {
        return (n + 7) / 8 * 8;
    }
}
