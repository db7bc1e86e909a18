package io.pgops.events.maintenance;

import io.pgops.events.EventDoc;
import io.pgops.events.OperatorCommand;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import java.util.regex.Pattern;

/**
 * Command: apply a schema migration to a database on the cluster's primary.
 *
 * @param cluster the cluster
 * @param database the database to migrate
 * @param version the migration's version, ordered, e.g. {@code 2026.11.25.1}
 * @param description what the migration does, e.g. {@code "add index orders(customer_id)"}
 * @param checksum SHA-256 of the migration script, 64 lower-case hex digits; the service refuses a script that
 *     does not match
 * @param principal who asked (user or service account)
 * @param reason why, in words
 */
@EventDoc("Command: apply a versioned schema migration to a database on the primary.")
public record MigrationRequested(
        ClusterId cluster,
        String database,
        String version,
        String description,
        String checksum,
        String principal,
        String reason)
        implements MaintenanceEvent, OperatorCommand {
    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public MigrationRequested {
        Require.nonNull(cluster, "cluster");
        Require.text(database, "database");
        Require.text(version, "version");
        Require.text(description, "description");
        checkSha256(checksum);
        Require.text(principal, "principal");
        Require.text(reason, "reason");
    }

    static void checkSha256(String checksum) {
        Require.nonNull(checksum, "checksum");
        if (!SHA256.matcher(checksum).matches()) {
            throw new IllegalArgumentException(
                    "checksum must be a SHA-256 of 64 lower-case hex digits but was '" + checksum + "'");
        }
    }
}
