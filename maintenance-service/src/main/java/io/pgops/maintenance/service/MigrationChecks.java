package io.pgops.maintenance.service;

import io.pgops.events.model.ClusterId;
import io.pgops.maintenance.config.Policies;
import io.pgops.maintenance.domain.MigrationPlan;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * What a migration request must pass before anything is published: a known cluster, the size cap, a script
 * pgops runs ({@link MigrationPlan}), no leadership change under way, a database of the cluster that accepts
 * connections (its name is a bound parameter and then a connection parameter, never text in SQL), and a version
 * not in that database's ledger.
 */
final class MigrationChecks {
    private final ClusterNodes nodes;
    private final Policies policies;
    private final Topologies topologies;

    MigrationChecks(ClusterNodes nodes, Policies policies, Topologies topologies) {
        this.nodes = nodes;
        this.policies = policies;
        this.topologies = topologies;
    }

    /** The request's plan and the database it migrates. */
    record Checked(MigrationPlan plan, String database) {}

    Checked check(ClusterId id, Migrations.Request r) {
        nodes.cluster(id);
        int bytes = r.sql().getBytes(StandardCharsets.UTF_8).length;
        int max = policies.config().migration().maxScriptBytes();
        if (bytes > max) {
            throw new Migrations.TooLarge("the script is " + bytes + " bytes; the most a migration may hold is " + max);
        }
        MigrationPlan plan;
        try {
            plan = MigrationPlan.of(r.sql());
        } catch (MigrationPlan.Refused e) {
            throw new Migrations.Refused(e.getMessage());
        }
        topologies.waitReason(id).ifPresent(why -> {
            throw new MaintenanceRunner.Postponed(why);
        });
        String database = r.database() == null ? nodes.database(id) : r.database();
        Duration check = policies.config().reportTimeout();
        try (NodeSql sql = nodes.primary(id, check)) {
            if (sql.list(
                            "SELECT datname::text FROM pg_database WHERE datname::text = $1 AND datallowconn"
                                    + " AND NOT datistemplate",
                            row -> row.getString(0),
                            database)
                    .isEmpty()) {
                throw new Migrations.Refused("database '" + database + "' is not a database of cluster '" + id.value()
                        + "' that accepts connections");
            }
        }
        try (NodeSql sql = nodes.primary(id, database, check)) {
            MigrationLedger.applied(sql, r.version()).ifPresent(a -> {
                throw new Migrations.Conflict("version " + a.version() + " is already applied to database "
                        + database + " (" + a.appliedAt() + " by " + a.principal() + ", checksum " + a.checksum()
                        + ")");
            });
        }
        return new Checked(plan, database);
    }

    /** SHA-256 of the UTF-8 bytes of the script, 64 lower-case hex digits (as MigrationRequested carries it). */
    static String sha256(String script) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
