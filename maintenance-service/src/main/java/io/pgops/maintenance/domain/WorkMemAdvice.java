package io.pgops.maintenance.domain;

/**
 * A {@code work_mem} recommendation from temporary-file usage ({@code pg_stat_database.temp_files} and
 * {@code temp_bytes}). A sort or hash that spilled wrote a temporary file about the size of what it could not
 * keep in memory, and needs about twice that in memory (tuples in memory carry more overhead than on disk).
 * So: the average spill × 2, rounded up to a power of two, never below the current setting and never above the
 * cap; with the worst case (every connection using it once) beside it, because {@code work_mem} is per
 * operation, not per server.
 *
 * @param currentBytes {@code work_mem} now, bytes
 * @param recommendedBytes what to set, bytes
 * @param change whether the recommendation differs from the current setting
 * @param tempFiles temporary files written since the statistics reset
 * @param tempBytes their bytes
 * @param averageSpillBytes {@code tempBytes / tempFiles}
 * @param worstCaseBytes {@code recommendedBytes × max_connections}
 * @param reason the recommendation in words
 */
public record WorkMemAdvice(
        long currentBytes,
        long recommendedBytes,
        boolean change,
        long tempFiles,
        long tempBytes,
        long averageSpillBytes,
        long worstCaseBytes,
        String reason) {

    /**
     * @param workMemBytes the current setting
     * @param maxConnections {@code max_connections}
     * @param capBytes the most it may recommend
     */
    public static WorkMemAdvice of(
            long tempFiles, long tempBytes, long workMemBytes, int maxConnections, long capBytes) {
        if (tempFiles <= 0) {
            return new WorkMemAdvice(
                    workMemBytes,
                    workMemBytes,
                    false,
                    0,
                    0,
                    0,
                    workMemBytes * maxConnections,
                    "no temporary files since the statistics reset: work_mem " + Figures.bytes(workMemBytes)
                            + " is enough");
        }
        long average = tempBytes / tempFiles;
        long wanted = powerOfTwoAtLeast(Math.max(1, average) * 2);
        long recommended = Math.max(workMemBytes, Math.min(wanted, capBytes));
        boolean change = recommended != workMemBytes;
        String reason = Figures.count(tempFiles) + " temporary files of " + Figures.bytes(average) + " on average ("
                + Figures.bytes(tempBytes) + " in all) spilled past work_mem " + Figures.bytes(workMemBytes) + "; ";
        if (!change) {
            reason += wanted > capBytes
                    ? "they would need " + Figures.bytes(wanted) + ", above the cap " + Figures.bytes(capBytes)
                            + ": look at the queries (top-queries) rather than raise it"
                    : "raising it would not keep them in memory";
        } else {
            reason += "set work_mem = '" + recommended / 1024 + "kB' to keep them in memory"
                    + (wanted > capBytes ? " as far as the cap " + Figures.bytes(capBytes) + " allows" : "")
                    + "; worst case " + maxConnections + " connections × " + Figures.bytes(recommended) + " = "
                    + Figures.bytes(recommended * maxConnections);
        }
        return new WorkMemAdvice(
                workMemBytes, recommended, change, tempFiles, tempBytes, average, recommended * maxConnections, reason);
    }

    static long powerOfTwoAtLeast(long n) {
        long p = Long.highestOneBit(n);
        return p == n ? n : p << 1;
    }
}
