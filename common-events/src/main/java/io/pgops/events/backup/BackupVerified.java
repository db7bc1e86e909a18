package io.pgops.events.backup;

import io.pgops.events.EventDoc;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import java.time.Instant;
import java.util.Set;

/**
 * A stored backup passed verification.
 *
 * @param cluster the cluster the backup belongs to
 * @param backupId the backup's id
 * @param repository the repository it is stored in
 * @param method {@code manifest} ({@code pg_verifybackup} against the backup manifest and the WAL it needs) or
 *     {@code restore} (restored on a scratch instance and queried)
 * @param checkedBytes the bytes read while verifying, bytes
 * @param durationMillis how long verification took, milliseconds
 * @param verifiedAt when verification finished (UTC instant)
 */
@EventDoc("A stored backup passed verification (manifest check or trial restore).")
public record BackupVerified(
        ClusterId cluster,
        String backupId,
        String repository,
        String method,
        long checkedBytes,
        long durationMillis,
        Instant verifiedAt)
        implements BackupEvent {
    public static final Set<String> METHODS = Set.of("manifest", "restore");

    public BackupVerified {
        Require.nonNull(cluster, "cluster");
        Require.text(backupId, "backupId");
        Require.text(repository, "repository");
        Require.oneOf(method, "method", METHODS);
        Require.nonNegative(checkedBytes, "checkedBytes");
        Require.nonNegative(durationMillis, "durationMillis");
        Require.nonNull(verifiedAt, "verifiedAt");
    }
}
