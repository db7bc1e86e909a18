package io.pgops.maintenance.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The least-privilege roles of one database, as an operator's checklist has them, and the statements that make
 * them so. Every name in a statement is quoted ({@link ObjectName#quote}); the prefix is checked against a strict
 * pattern and the database against the catalogue before a plan is made. Passwords are never part of a plan's
 * text: they are bound into {@link #createRole} as SCRAM verifiers.
 *
 * <ul>
 *   <li>{@code <prefix>_app}: DML only (SELECT, INSERT, UPDATE, DELETE, sequences) in schema {@code public}, now and on
 *       tables the provisioning role creates later;
 *   <li>{@code <prefix>_readonly}: SELECT only, the same way;
 *   <li>{@code <prefix>_backup}: REPLICATION (pg_basebackup, pg_receivewal), no table access;
 *   <li>{@code <prefix>_replica}: REPLICATION, for standbys;
 *   <li>{@code <prefix>_monitor}: {@code pg_monitor};
 *   <li>and {@code CREATE} on schema {@code public} revoked from {@code PUBLIC} (PostgreSQL 15 does so for new
 *       databases; older ones keep the grant across upgrades).
 * </ul>
 */
public final class RolePlan {
    /** A prefix: lower-case, starting with a letter; short enough that every role name stays below 63 bytes. */
    public static final Pattern PREFIX = Pattern.compile("^[a-z][a-z0-9_]{0,39}$");

    /** What a role is for. */
    public enum Purpose {
        APP("app", "DML only in schema public (SELECT, INSERT, UPDATE, DELETE, sequences)"),
        READONLY("readonly", "SELECT only in schema public"),
        BACKUP("backup", "REPLICATION for pg_basebackup and pg_receivewal; no table access"),
        REPLICA("replica", "REPLICATION for standbys"),
        MONITOR("monitor", "pg_monitor: statistics and settings, no data");

        public final String suffix;
        public final String grants;

        Purpose(String suffix, String grants) {
            this.suffix = suffix;
            this.grants = grants;
        }
    }

    private RolePlan() {}

    /** The role name of {@code purpose} under {@code prefix} (checked). */
    public static String roleName(String prefix, Purpose purpose) {
        checkPrefix(prefix);
        return prefix + "_" + purpose.suffix;
    }

    public static void checkPrefix(String prefix) {
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("prefix must match " + PREFIX.pattern() + " but was '" + prefix + "'");
        }
    }

    /**
     * {@code CREATE ROLE} of a new login role with its password as a SCRAM verifier literal (a verifier holds only
     * base64, digits, {@code $ : + / =}, checked here, so it is safe between single quotes).
     */
    public static String createRole(String role, Purpose purpose, String scramVerifier) {
        return "CREATE ROLE " + ObjectName.quote(role) + " LOGIN" + attributes(purpose) + " PASSWORD "
                + verifierLiteral(scramVerifier);
    }

    /** {@code ALTER ROLE} of an existing role to its purpose's attributes, and a new password when one is given. */
    public static String alterRole(String role, Purpose purpose, String scramVerifierOrNull) {
        return "ALTER ROLE " + ObjectName.quote(role) + " LOGIN" + attributes(purpose)
                + (scramVerifierOrNull == null ? "" : " PASSWORD " + verifierLiteral(scramVerifierOrNull));
    }

    private static String attributes(Purpose purpose) {
        boolean replication = purpose == Purpose.BACKUP || purpose == Purpose.REPLICA;
        return " NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS" + (replication ? " REPLICATION" : " NOREPLICATION");
    }

    private static final Pattern VERIFIER =
            Pattern.compile("^SCRAM-SHA-256\\$[0-9]+:[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$");

    private static String verifierLiteral(String verifier) {
        if (!VERIFIER.matcher(verifier).matches()) {
            throw new IllegalArgumentException("not a SCRAM-SHA-256 verifier");
        }
        return "'" + verifier + "'";
    }

    /** The grants of {@code role} for {@code purpose} in {@code database}, run while connected to that database. */
    public static List<String> grants(String role, Purpose purpose, String database) {
        String r = ObjectName.quote(role);
        String db = ObjectName.quote(database);
        List<String> out = new ArrayList<>();
        switch (purpose) {
            case APP -> {
                out.add("GRANT CONNECT ON DATABASE " + db + " TO " + r);
                out.add("GRANT USAGE ON SCHEMA public TO " + r);
                out.add("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + r);
                out.add("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO " + r);
                out.add("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "
                        + r);
                out.add("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO " + r);
            }
            case READONLY -> {
                out.add("GRANT CONNECT ON DATABASE " + db + " TO " + r);
                out.add("GRANT USAGE ON SCHEMA public TO " + r);
                out.add("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + r);
                out.add("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO " + r);
            }
            case MONITOR -> {
                out.add("GRANT CONNECT ON DATABASE " + db + " TO " + r);
                out.add("GRANT pg_monitor TO " + r);
            }
            case BACKUP, REPLICA -> {
                // REPLICATION is an attribute of the role: nothing to grant in the database
            }
        }
        return out;
    }

    /** Revokes the default grant that lets every role create objects in schema public. */
    public static final String REVOKE_PUBLIC_CREATE = "REVOKE CREATE ON SCHEMA public FROM PUBLIC";

    /** Roles pgops never touches whatever the prefix (PostgreSQL's own and the bootstrap superuser). */
    public static final Set<String> RESERVED_PREFIXES = Set.of("pg", "postgres", "pgops");
}
