package io.pgops.events.health;

import io.pgops.events.EventDoc;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import java.time.Instant;

/**
 * A standby whose lag had exceeded a limit is back within all limits.
 *
 * @param cluster the cluster probed
 * @param node the standby
 * @param primary the primary it replicates from
 * @param primaryLsn the primary's current WAL write position at the probe
 * @param standbyReplayLsn the standby's replay position at the probe
 * @param lagBytes bytes of WAL the standby has not replayed yet, bytes
 * @param lagMillis the standby's replay delay (as in {@link LagExceeded}), milliseconds; 0 when everything
 *     received is replayed
 * @param maxLagBytes the configured limit for {@code lagBytes}, bytes
 * @param maxLagMillis the configured limit for {@code lagMillis}, milliseconds
 * @param exceededForMillis how long the lag was above the limit, milliseconds
 * @param probedAt when the probe ran (UTC instant)
 */
@EventDoc("A standby whose replication lag had exceeded a limit is back within all limits.")
public record LagRecovered(
        ClusterId cluster,
        NodeName node,
        NodeName primary,
        Lsn primaryLsn,
        Lsn standbyReplayLsn,
        long lagBytes,
        long lagMillis,
        long maxLagBytes,
        long maxLagMillis,
        long exceededForMillis,
        Instant probedAt)
        implements HealthEvent {
    public LagRecovered {
        Require.nonNull(cluster, "cluster");
        Require.nonNull(node, "node");
        Require.nonNull(primary, "primary");
        Require.nonNull(primaryLsn, "primaryLsn");
        Require.nonNull(standbyReplayLsn, "standbyReplayLsn");
        Require.nonNegative(lagBytes, "lagBytes");
        Require.nonNegative(lagMillis, "lagMillis");
        Require.nonNegative(maxLagBytes, "maxLagBytes");
        Require.nonNegative(maxLagMillis, "maxLagMillis");
        Require.nonNegative(exceededForMillis, "exceededForMillis");
        Require.nonNull(probedAt, "probedAt");
    }
}
