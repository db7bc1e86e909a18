package io.pgops.events.replication;

import io.pgops.events.EventDoc;
import io.pgops.events.Nullable;
import io.pgops.events.OperatorCommand;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import java.time.Instant;

/**
 * Command: hand the primary role over in a planned way, without losing transactions.
 *
 * @param cluster the cluster
 * @param from the primary expected to step down; {@code null} for whichever is primary (refused if it differs)
 * @param to the standby to promote; {@code null} to let the service pick the most caught-up eligible standby
 * @param scheduledAt when to start (UTC instant); {@code null} for now
 * @param principal who asked (user or service account)
 * @param reason why, in words
 */
@EventDoc("Command: planned switchover of the primary role to a caught-up standby, now or at a given time.")
public record SwitchoverRequested(
        ClusterId cluster,
        @Nullable NodeName from,
        @Nullable NodeName to,
        @Nullable Instant scheduledAt,
        String principal,
        String reason)
        implements ReplicationEvent, OperatorCommand {
    public SwitchoverRequested {
        Require.nonNull(cluster, "cluster");
        if (from != null && from.equals(to)) {
            throw new IllegalArgumentException("from and to must differ but both are " + from);
        }
        Require.text(principal, "principal");
        Require.text(reason, "reason");
    }
}
