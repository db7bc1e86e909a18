package io.pgops.events.health;

import io.pgops.events.EventDoc;
import io.pgops.events.Nullable;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import java.time.Instant;

/**
 * The node the topology names as primary failed enough consecutive probes; the replication service decides on
 * this whether to fail over.
 *
 * @param cluster the cluster probed
 * @param node the primary that does not answer
 * @param consecutiveFailures how many probes in a row failed, {@code >= 1}
 * @param error the last probe's error, e.g. {@code "connection refused"}
 * @param lastKnownLsn the primary's WAL write position at the last successful probe; {@code null} if unknown
 * @param probedAt when the last failing probe ran (UTC instant)
 */
@EventDoc("The current primary failed enough consecutive probes; input to the failover decision.")
public record PrimaryUnreachable(
        ClusterId cluster,
        NodeName node,
        int consecutiveFailures,
        String error,
        @Nullable Lsn lastKnownLsn,
        Instant probedAt)
        implements HealthEvent {
    public PrimaryUnreachable {
        Require.nonNull(cluster, "cluster");
        Require.nonNull(node, "node");
        Require.positive(consecutiveFailures, "consecutiveFailures");
        Require.text(error, "error");
        Require.nonNull(probedAt, "probedAt");
    }
}
