package io.pgops.events.maintenance;

import io.pgops.events.EventDoc;
import io.pgops.events.Nullable;
import io.pgops.events.OperatorCommand;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import java.util.List;
import java.util.Set;

/**
 * Command: an administrator confirmed a guarded emergency action after its dry run; published before any session is
 * signalled, so that nothing is cancelled or terminated that is not on the record. Each session then hit gets a
 * {@link MaintenanceCompleted} (task = {@code action}, target {@code pid <n>}), each one of the dry run that was
 * spared because it changed meanwhile a {@link MaintenanceFailed}, under the same correlation id.
 *
 * @param cluster the cluster
 * @param node the node whose sessions are hit
 * @param action {@code terminate-idle}, {@code terminate-idle-in-transaction}, {@code cancel-long-queries} or
 *     {@code terminate-long-queries}
 * @param longerThanSeconds the threshold: idle, idle in transaction or running longer than this, seconds
 * @param database only sessions of this database; {@code null}: any
 * @param user only sessions of this role; {@code null}: any
 * @param application only sessions of this {@code application_name}; {@code null}: any
 * @param superusers superuser roles the administrator named to be hit too (superusers are spared otherwise)
 * @param pids the backends about to be signalled: seen in the dry run and still matching now
 * @param principal who confirmed (the bearer token's principal)
 * @param reason why, in words
 */
@EventDoc("Command: an administrator confirmed an emergency action (terminate idle sessions, cancel long queries)"
        + " after its dry run; names the sessions about to be hit.")
public record EmergencyActionRequested(
        ClusterId cluster,
        NodeName node,
        String action,
        long longerThanSeconds,
        @Nullable String database,
        @Nullable String user,
        @Nullable String application,
        List<String> superusers,
        List<Integer> pids,
        String principal,
        String reason)
        implements MaintenanceEvent, OperatorCommand {
    public static final Set<String> ACTIONS =
            Set.of("terminate-idle", "terminate-idle-in-transaction", "cancel-long-queries", "terminate-long-queries");

    public EmergencyActionRequested {
        Require.nonNull(cluster, "cluster");
        Require.nonNull(node, "node");
        Require.oneOf(action, "action", ACTIONS);
        Require.positive(longerThanSeconds, "longerThanSeconds");
        Require.optionalText(database, "database");
        Require.optionalText(user, "user");
        Require.optionalText(application, "application");
        superusers = List.copyOf(Require.nonNull(superusers, "superusers"));
        pids = List.copyOf(Require.nonNull(pids, "pids"));
        Require.text(principal, "principal");
        Require.text(reason, "reason");
    }
}
