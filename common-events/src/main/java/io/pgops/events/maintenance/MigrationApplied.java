package io.pgops.events.maintenance;

import io.pgops.events.EventDoc;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import java.time.Instant;

/**
 * A migration was committed on the primary.
 *
 * @param cluster the cluster
 * @param database the migrated database
 * @param version the migration's version
 * @param checksum SHA-256 of the applied script, 64 lower-case hex digits
 * @param node the primary it was applied on
 * @param commitLsn the primary's WAL position after the commit; a standby has the change once it replayed this
 * @param durationMillis how long the migration ran, milliseconds
 * @param appliedAt when it was committed (UTC instant)
 */
@EventDoc("A schema migration was committed on the primary; the commit LSN tells when standbys have it.")
public record MigrationApplied(
        ClusterId cluster,
        String database,
        String version,
        String checksum,
        NodeName node,
        Lsn commitLsn,
        long durationMillis,
        Instant appliedAt)
        implements MaintenanceEvent {
    public MigrationApplied {
        Require.nonNull(cluster, "cluster");
        Require.text(database, "database");
        Require.text(version, "version");
        MigrationRequested.checkSha256(checksum);
        Require.nonNull(node, "node");
        Require.nonNull(commitLsn, "commitLsn");
        Require.nonNegative(durationMillis, "durationMillis");
        Require.nonNull(appliedAt, "appliedAt");
    }
}
