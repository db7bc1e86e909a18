package io.pgops.events.health;

import io.pgops.events.EventDoc;
import io.pgops.events.Nullable;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Role;
import io.pgops.events.model.Timeline;
import java.time.Instant;

/**
 * A node that was unreachable answers probes again.
 *
 * @param cluster the cluster probed
 * @param node the node that answers again
 * @param role what the node reports itself to be: {@code primary} or {@code standby} ({@code pg_is_in_recovery()})
 * @param timeline the timeline the node is on; {@code null} if the probe could not read it
 * @param downtimeMillis how long the node was unreachable, milliseconds
 * @param probedAt when the succeeding probe ran (UTC instant)
 */
@EventDoc("A node that was unreachable answers probes again; its reported role may differ from before.")
public record NodeReachable(
        ClusterId cluster,
        NodeName node,
        Role role,
        @Nullable Timeline timeline,
        long downtimeMillis,
        Instant probedAt) implements HealthEvent {
    public NodeReachable {
        Require.nonNull(cluster, "cluster");
        Require.nonNull(node, "node");
        Require.oneOf(role, "role", Role.RUNNING);
        Require.nonNegative(downtimeMillis, "downtimeMillis");
        Require.nonNull(probedAt, "probedAt");
    }
}
