package io.pgops.events.maintenance;

import io.pgops.events.EventDoc;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import java.time.Instant;
import java.util.Set;

/**
 * A least-privilege role was provisioned on a cluster's database on an administrator's command: created, or
 * brought back to its purpose's attributes and grants. Its password never travels: it is set as a SCRAM-SHA-256
 * verifier and handed over as a file on the service's host.
 *
 * @param cluster the cluster
 * @param database the database the role's grants are in
 * @param role the role's name, e.g. {@code shop_app}
 * @param purpose {@code app} (DML only), {@code readonly} (SELECT only), {@code backup} (REPLICATION), {@code
 *     replica} (REPLICATION), {@code monitor} ({@code pg_monitor})
 * @param action {@code created}, {@code updated} (attributes and grants ensured, password kept) or {@code
 *     password-rotated} (also a new password)
 * @param grants what the role may do, in words
 * @param reason why, in words, as the administrator gave it
 * @param provisionedAt when (UTC instant)
 */
@EventDoc("A least-privilege role was created or brought back to its grants on an administrator's command.")
public record RoleProvisioned(
        ClusterId cluster,
        String database,
        String role,
        String purpose,
        String action,
        String grants,
        String reason,
        Instant provisionedAt)
        implements MaintenanceEvent {
    public static final Set<String> PURPOSES = Set.of("app", "readonly", "backup", "replica", "monitor");
    public static final Set<String> ACTIONS = Set.of("created", "updated", "password-rotated");

    public RoleProvisioned {
        Require.nonNull(cluster, "cluster");
        Require.text(database, "database");
        Require.text(role, "role");
        Require.oneOf(purpose, "purpose", PURPOSES);
        Require.oneOf(action, "action", ACTIONS);
        Require.text(grants, "grants");
        Require.text(reason, "reason");
        Require.nonNull(provisionedAt, "provisionedAt");
    }
}
