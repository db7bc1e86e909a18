package io.pgops.backup.domain;

import io.pgops.events.model.Lsn;
import io.pgops.events.model.Timeline;
import java.util.List;

/**
 * What a backup manifest ({@code backup_manifest}, written by pg_basebackup) says about the backup: the
 * files of the data directory with their sizes, and the WAL range a restore must replay to be consistent.
 *
 * @param fileCount files in the data directory part
 * @param fileBytes their total size, bytes (uncompressed)
 * @param walRanges the WAL needed, oldest first (more than one when the timeline changed during the backup)
 */
public record ManifestSummary(long fileCount, long fileBytes, List<WalRange> walRanges) {

    /** One timeline's part of the WAL a restore needs. */
    public record WalRange(Timeline timeline, Lsn start, Lsn end) {}

    public ManifestSummary {
        walRanges = List.copyOf(walRanges);
        if (walRanges.isEmpty()) {
            throw new IllegalArgumentException("the manifest names no WAL range: not a backup pg_basebackup finished");
        }
    }

    /** Where replay starts (the backup's checkpoint redo point). */
    public Lsn startLsn() {
        return walRanges.getFirst().start();
    }

    /** Where a restore becomes consistent. */
    public Lsn stopLsn() {
        return walRanges.getLast().end();
    }

    /** The timeline the backup ended on. */
    public Timeline timeline() {
        return walRanges.getLast().timeline();
    }
}
