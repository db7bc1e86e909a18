package io.pgops.events.health;

import io.pgops.events.EventDoc;
import io.pgops.events.Nullable;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import java.time.Instant;

/**
 * A node failed enough consecutive probes to be declared unreachable (it was reachable before). Published for
 * standbys and primaries alike; for the primary, {@link PrimaryUnreachable} follows.
 *
 * @param cluster the cluster probed
 * @param node the node that does not answer
 * @param host the host name or IP address probed
 * @param port the PostgreSQL TCP port probed
 * @param consecutiveFailures how many probes in a row failed, {@code >= 1}
 * @param error the last probe's error, e.g. {@code "connection refused"} or {@code "timeout after 2000 ms"}
 * @param lastSeenAt when a probe last succeeded (UTC instant); {@code null} if never since the service started
 * @param probedAt when the last failing probe ran (UTC instant)
 */
@EventDoc("A node failed enough consecutive probes to be declared unreachable.")
public record NodeUnreachable(
        ClusterId cluster,
        NodeName node,
        String host,
        int port,
        int consecutiveFailures,
        String error,
        @Nullable Instant lastSeenAt,
        Instant probedAt)
        implements HealthEvent {
    public NodeUnreachable {
        Require.nonNull(cluster, "cluster");
        Require.nonNull(node, "node");
        Require.text(host, "host");
        Require.port(port, "port");
        Require.positive(consecutiveFailures, "consecutiveFailures");
        Require.text(error, "error");
        Require.nonNull(probedAt, "probedAt");
    }
}
