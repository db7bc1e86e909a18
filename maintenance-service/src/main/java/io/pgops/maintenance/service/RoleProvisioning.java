package io.pgops.maintenance.service;

import io.pgops.events.Requester;
import io.pgops.events.maintenance.RoleProvisioned;
import io.pgops.events.model.ClusterId;
import io.pgops.maintenance.config.MaintenanceConfig;
import io.pgops.maintenance.config.RolesConfig;
import io.pgops.maintenance.domain.RolePlan;
import io.pgops.maintenance.domain.RolePlan.Purpose;
import io.pgops.maintenance.messaging.MaintenanceEventPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Provisions a database's least-privilege roles on the primary ({@link RolePlan}): each role created with a new
 * password (set as a SCRAM verifier, handed over as a file), or an existing one brought back to its purpose's
 * attributes and grants (its password kept unless rotation is asked for); then {@code CREATE} on schema public
 * revoked from {@code PUBLIC}; one {@code RoleProvisioned} per role, under one correlation id.
 */
@ApplicationScoped
public class RoleProvisioning {
    private static final Logger LOG = Logger.getLogger(RoleProvisioning.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ClusterNodes nodes;
    private final MaintenanceConfig config;
    private final RolesConfig roles;
    private final MaintenanceEventPublisher publisher;

    public RoleProvisioning(
            ClusterNodes nodes, MaintenanceConfig config, RolesConfig roles, MaintenanceEventPublisher publisher) {
        this.nodes = nodes;
        this.config = config;
        this.roles = roles;
        this.publisher = publisher;
    }

    /** Refused before anything was changed (409/422). */
    public static final class Refused extends RuntimeException {
        public final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** One role as provisioned: where its password is, when a new one was set. */
    public record Provisioned(String role, String purpose, String action, String grants, String passwordFile) {}

    /** What was done, with the notes an operator needs (pg_hba is not pgops' to edit). */
    public record Result(
            String cluster,
            String database,
            String node,
            String correlationId,
            List<Provisioned> roles,
            boolean publicCreateRevoked,
            List<String> notes) {}

    public Result provision(
            ClusterId cluster, String database, String prefix, boolean rotate, String reason, Requester who) {
        RolePlan.checkPrefix(prefix);
        if (RolePlan.RESERVED_PREFIXES.contains(prefix)) {
            throw new IllegalArgumentException(
                    "prefix '" + prefix + "' is reserved (PostgreSQL's or pgops' own roles)");
        }
        List<Provisioned> done = new ArrayList<>();
        String node;
        try (NodeSql primary = nodes.primary(cluster, config.reportTimeout())) {
            node = primary.node().value();
            if (primary.query("SELECT 1 FROM pg_database WHERE datname = $1 AND datallowconn", database)
                            .size()
                    == 0) {
                throw new Refused(
                        422,
                        "database '" + database + "' is not in pg_database of " + node
                                + " (or does not allow connections)");
            }
            for (Purpose p : Purpose.values()) {
                String role = RolePlan.roleName(prefix, p);
                var existing = primary.query("SELECT rolsuper FROM pg_roles WHERE rolname = $1", role);
                if (existing.size() > 0
                        && Boolean.TRUE.equals(existing.iterator().next().getBoolean(0))) {
                    throw new Refused(
                            409,
                            "role '" + role + "' exists and is a superuser: pgops does not demote"
                                    + " superusers; choose another prefix");
                }
            }
            for (Purpose p : Purpose.values()) {
                String role = RolePlan.roleName(prefix, p);
                boolean exists = primary.query("SELECT 1 FROM pg_roles WHERE rolname = $1", role)
                                .size()
                        > 0;
                String password = exists && !rotate ? null : newPassword();
                String verifier =
                        password == null ? null : ScramVerifier.of(password, salt(), ScramVerifier.ITERATIONS);
                primary.execute(
                        exists ? RolePlan.alterRole(role, p, verifier) : RolePlan.createRole(role, p, verifier));
                String file = password == null
                        ? null
                        : handOver(cluster, role, password).toString();
                done.add(new Provisioned(
                        role,
                        p.suffix,
                        !exists ? "created" : password != null ? "password-rotated" : "updated",
                        p.grants,
                        file));
            }
            try (NodeSql db = nodes.connect(cluster, primary.node(), database, config.reportTimeout())) {
                for (Purpose p : Purpose.values()) {
                    for (String grant : RolePlan.grants(RolePlan.roleName(prefix, p), p, database)) {
                        db.execute(grant);
                    }
                }
                db.execute(RolePlan.REVOKE_PUBLIC_CREATE);
            }
        }
        String correlation = UUID.randomUUID().toString();
        Instant now = Instant.now();
        for (Provisioned r : done) {
            publisher.publish(
                    new RoleProvisioned(cluster, database, r.role(), r.purpose(), r.action(), r.grants(), reason, now),
                    correlation,
                    who);
        }
        LOG.infof(
                "provisioned roles %s on %s/%s (%s) for %s",
                done.stream().map(Provisioned::role).toList(),
                cluster.value(),
                database,
                node,
                who == null ? "pgops" : who.principal());
        return new Result(
                cluster.value(),
                database,
                node,
                correlation,
                done,
                true,
                List.of(
                        "pg_hba.conf is not changed by pgops: the replica and backup roles need 'host replication <role>"
                                + " <network> scram-sha-256' lines, the others 'host " + database
                                + " <role> <network> scram-sha-256'",
                        "default privileges cover tables that the provisioning account creates later; tables another"
                                + " role creates need ALTER DEFAULT PRIVILEGES FOR ROLE <owner> as well"));
    }

    /** 24 random bytes as base64url: printable ASCII, 32 characters. */
    private static String newPassword() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static byte[] salt() {
        byte[] s = new byte[16];
        RANDOM.nextBytes(s);
        return s;
    }

    /** Writes the password to {@code <password-dir>/<cluster>/<role>.password}, mode 600, atomically. */
    private Path handOver(ClusterId cluster, String role, String password) {
        try {
            Path dir = Path.of(roles.passwordDir()).resolve(cluster.value());
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            Path tmp = Files.createTempFile(
                    dir,
                    role,
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, password + "\n");
            Path file = dir.resolve(role + ".password");
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the password file of " + role + ": " + e.getMessage(), e);
        }
    }
}
