package io.pgops.events.backup;

import io.pgops.events.EventDoc;
import io.pgops.events.Nullable;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.Timeline;
import java.time.Instant;

/**
 * WAL segments are missing from the archive: point-in-time recovery across the gap is impossible, and backups
 * older than the gap cannot be rolled forward past it.
 *
 * @param cluster the cluster
 * @param repository the repository checked
 * @param timeline the timeline the gap is on
 * @param firstMissingSegment the first missing WAL segment file, e.g. {@code 0000000300000016000000B4}
 * @param missingSegments how many consecutive segments are missing, {@code >= 1}
 * @param gapStartLsn the WAL position where the gap begins (start of the first missing segment)
 * @param lastArchivedSegment the last segment archived before the gap; {@code null} if none
 * @param reason the consequence, in words, e.g. {@code "no PITR between 02:14 and 02:31; take a new base
 *     backup"}
 * @param detectedAt when the gap was found (UTC instant)
 */
@EventDoc("WAL segments are missing from the archive; point-in-time recovery across the gap is impossible.")
public record WalArchiveGapDetected(
        ClusterId cluster,
        String repository,
        Timeline timeline,
        String firstMissingSegment,
        long missingSegments,
        Lsn gapStartLsn,
        @Nullable String lastArchivedSegment,
        String reason,
        Instant detectedAt)
        implements BackupEvent {
    public WalArchiveGapDetected {
        Require.nonNull(cluster, "cluster");
        Require.text(repository, "repository");
        Require.nonNull(timeline, "timeline");
        Require.walSegment(firstMissingSegment, "firstMissingSegment");
        if (missingSegments < 1) {
            throw new IllegalArgumentException("missingSegments must be >= 1 but was " + missingSegments);
        }
        Require.nonNull(gapStartLsn, "gapStartLsn");
        if (lastArchivedSegment != null) {
            Require.walSegment(lastArchivedSegment, "lastArchivedSegment");
        }
        Require.text(reason, "reason");
        Require.nonNull(detectedAt, "detectedAt");
    }
}
