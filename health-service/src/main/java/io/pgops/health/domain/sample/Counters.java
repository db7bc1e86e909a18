package io.pgops.health.domain.sample;

/**
 * Cumulative counters (since the statistics were reset); checks judge how much they grew in a window.
 *
 * @param archiveFailed {@code pg_stat_archiver.failed_count}
 * @param lastFailedWal {@code pg_stat_archiver.last_failed_wal}, null if none
 * @param checkpointsTimed timed checkpoints ({@code pg_stat_checkpointer} on 17+, {@code pg_stat_bgwriter} before)
 * @param checkpointsRequested requested checkpoints
 * @param tempBytes {@code sum(pg_stat_database.temp_bytes)}, bytes
 * @param deadlocks {@code sum(pg_stat_database.deadlocks)}
 */
public record Counters(
        long archiveFailed,
        String lastFailedWal,
        long checkpointsTimed,
        long checkpointsRequested,
        long tempBytes,
        long deadlocks) {}
