package io.pgops.events.backup;

import io.pgops.events.EventDoc;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import java.time.Instant;

/**
 * A stored backup failed verification and must not be relied on for restores.
 *
 * @param cluster the cluster the backup belongs to
 * @param backupId the backup's id
 * @param repository the repository it is stored in
 * @param method {@code manifest} or {@code restore}, as in {@link BackupVerified#method()}
 * @param error what was wrong, e.g. {@code "pg_verifybackup: error: \"base/16384/2619\" has checksum mismatch"}
 * @param durationMillis how long verification ran, milliseconds
 * @param verifiedAt when verification finished (UTC instant)
 */
@EventDoc("A stored backup failed verification and must not be relied on for restores.")
public record BackupVerificationFailed(
        ClusterId cluster,
        String backupId,
        String repository,
        String method,
        String error,
        long durationMillis,
        Instant verifiedAt)
        implements BackupEvent {
    public BackupVerificationFailed {
        Require.nonNull(cluster, "cluster");
        Require.text(backupId, "backupId");
        Require.text(repository, "repository");
        Require.oneOf(method, "method", BackupVerified.METHODS);
        Require.text(error, "error");
        Require.nonNegative(durationMillis, "durationMillis");
        Require.nonNull(verifiedAt, "verifiedAt");
    }
}
