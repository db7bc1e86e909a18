package io.pgops.events.maintenance;

import io.pgops.events.EventDoc;
import io.pgops.events.Nullable;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import java.time.Instant;

/**
 * A node's effective setting of a PostgreSQL parameter differs from the declared configuration or the advisor's
 * recommendation, or a setting of the node's host (as its agent reported it: {@code source} is {@code host}) differs
 * from what PostgreSQL's guides recommend. One event per parameter or host setting and node.
 *
 * @param cluster the cluster
 * @param node the node whose setting differs
 * @param parameter the parameter ({@code pg_settings.name}), e.g. {@code max_connections}; or the host setting, e.g.
 *     {@code vm.swappiness}, {@code data directory mount (/var/lib/postgresql)}
 * @param expected the declared value, in the parameter's unit as {@code SHOW} prints it, e.g. {@code 200}
 * @param actual the effective value as {@code SHOW} prints it; {@code null} if the parameter is unknown to this
 *     server version
 * @param source where the effective value comes from ({@code pg_settings.source}), e.g.
 *     {@code configuration file}, {@code override}; {@code host} for a setting of the host; {@code null} if unknown
 * @param pendingRestart {@code true} if the expected value is already configured but needs a restart
 *     ({@code pg_settings.pending_restart})
 * @param reason the consequence, in words, e.g. {@code "max_connections differs between primary and standby;
 *     the standby will refuse to start after a restart"}
 * @param detectedAt when the difference was found (UTC instant)
 */
@EventDoc(
        "A node's effective PostgreSQL parameter, or a setting of its host, differs from the declared or recommended value.")
public record ConfigDriftDetected(
        ClusterId cluster,
        NodeName node,
        String parameter,
        String expected,
        @Nullable String actual,
        @Nullable String source,
        boolean pendingRestart,
        String reason,
        Instant detectedAt)
        implements MaintenanceEvent {
    public ConfigDriftDetected {
        Require.nonNull(cluster, "cluster");
        Require.nonNull(node, "node");
        Require.text(parameter, "parameter");
        Require.nonNull(expected, "expected");
        Require.text(reason, "reason");
        Require.nonNull(detectedAt, "detectedAt");
    }
}
