package io.pgops.events.replication;

import io.pgops.events.Nullable;
import io.pgops.events.internal.Require;
import io.pgops.events.model.NodeName;
import java.time.Instant;

/**
 * A switchover the coordinator holds until its time, as {@link TopologyChanged} carries it (so a coordinator
 * that takes the cluster over keeps it).
 *
 * @param at when it starts (UTC instant)
 * @param to the standby to promote; {@code null} to let the coordinator pick the most caught-up eligible one
 * @param principal who asked
 * @param reason why, in words
 * @param commandId the id of the {@link SwitchoverRequested} command (the correlation id of what follows)
 */
public record ScheduledSwitchover(
        Instant at, @Nullable NodeName to, String principal, String reason, String commandId) {
    public ScheduledSwitchover {
        Require.nonNull(at, "at");
        Require.text(principal, "principal");
        Require.text(reason, "reason");
        Require.text(commandId, "commandId");
    }
}
