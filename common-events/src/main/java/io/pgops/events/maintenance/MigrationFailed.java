package io.pgops.events.maintenance;

import io.pgops.events.EventDoc;
import io.pgops.events.Nullable;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import java.time.Instant;

/**
 * A migration was not applied.
 *
 * @param cluster the cluster
 * @param database the database
 * @param version the migration's version
 * @param node the node it ran on; {@code null} if it never started (e.g. no primary, checksum mismatch)
 * @param error the error, e.g. {@code "ERROR: column \"customer_id\" does not exist"}
 * @param sqlState the PostgreSQL SQLSTATE, 5 characters, e.g. {@code 42703}; {@code null} if the failure was not
 *     a database error
 * @param rolledBack {@code true} if the migration's transaction was rolled back completely; {@code false} if it
 *     may have left partial changes (a non-transactional step such as {@code CREATE INDEX CONCURRENTLY})
 * @param durationMillis how long it ran before failing, milliseconds
 * @param failedAt when it failed (UTC instant)
 */
@EventDoc("A schema migration was not applied; says whether it was rolled back completely.")
public record MigrationFailed(
        ClusterId cluster,
        String database,
        String version,
        @Nullable NodeName node,
        String error,
        @Nullable String sqlState,
        boolean rolledBack,
        long durationMillis,
        Instant failedAt)
        implements MaintenanceEvent {
    public MigrationFailed {
        Require.nonNull(cluster, "cluster");
        Require.text(database, "database");
        Require.text(version, "version");
        Require.text(error, "error");
        if (sqlState != null && !sqlState.matches("[0-9A-Z]{5}")) {
            throw new IllegalArgumentException("sqlState must be 5 characters [0-9A-Z] but was '" + sqlState + "'");
        }
        Require.nonNegative(durationMillis, "durationMillis");
        Require.nonNull(failedAt, "failedAt");
    }
}
