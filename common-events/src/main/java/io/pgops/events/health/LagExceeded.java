package io.pgops.events.health;

import io.pgops.events.EventDoc;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import java.time.Instant;

/**
 * A standby's replication lag went above a configured limit (it was within before).
 *
 * @param cluster the cluster probed
 * @param node the lagging standby
 * @param primary the primary it replicates from
 * @param primaryLsn the primary's current WAL write position ({@code pg_current_wal_lsn()}) at the probe
 * @param standbyReplayLsn the standby's replay position ({@code pg_last_wal_replay_lsn()}) at the probe
 * @param lagBytes bytes of WAL the standby has not replayed yet ({@code primaryLsn - standbyReplayLsn}), bytes
 * @param lagMillis the standby's replay delay (now minus the commit time of its last replayed transaction,
 *     while received WAL waits to be replayed), milliseconds; 0 when everything received is replayed
 * @param maxLagBytes the configured limit for {@code lagBytes}, bytes
 * @param maxLagMillis the configured limit for {@code lagMillis}, milliseconds
 * @param reason which limit was exceeded, in words, e.g. {@code "replay lag 1.2 GiB exceeds 256 MiB"}
 * @param probedAt when the probe ran (UTC instant)
 */
@EventDoc("A standby's replication lag, in bytes or time, went above its configured limit.")
public record LagExceeded(
        ClusterId cluster,
        NodeName node,
        NodeName primary,
        Lsn primaryLsn,
        Lsn standbyReplayLsn,
        long lagBytes,
        long lagMillis,
        long maxLagBytes,
        long maxLagMillis,
        String reason,
        Instant probedAt)
        implements HealthEvent {
    public LagExceeded {
        Require.nonNull(cluster, "cluster");
        Require.nonNull(node, "node");
        Require.nonNull(primary, "primary");
        Require.nonNull(primaryLsn, "primaryLsn");
        Require.nonNull(standbyReplayLsn, "standbyReplayLsn");
        Require.nonNegative(lagBytes, "lagBytes");
        Require.nonNegative(lagMillis, "lagMillis");
        Require.nonNegative(maxLagBytes, "maxLagBytes");
        Require.nonNegative(maxLagMillis, "maxLagMillis");
        Require.text(reason, "reason");
        Require.nonNull(probedAt, "probedAt");
    }
}
