package io.pgops.health.domain;

import static io.pgops.health.domain.CheckNames.ACCEPTS_CONNECTIONS;
import static io.pgops.health.domain.CheckNames.HBA_METHODS;
import static io.pgops.health.domain.CheckNames.HBA_RULES;
import static io.pgops.health.domain.CheckNames.PASSWORD_ENCRYPTION;
import static io.pgops.health.domain.CheckNames.PGAUDIT;
import static io.pgops.health.domain.CheckNames.SSL;
import static io.pgops.health.domain.CheckNames.SUPERUSER_NETWORK_LOGINS;

import io.pgops.health.domain.sample.NodeSample;
import io.pgops.health.domain.sample.Security;
import java.util.ArrayList;
import java.util.List;

/** Security posture, and whether the node still accepts new connections (not only our kept one). */
public final class SecurityChecks {
    static final String SCRAM = "scram-sha-256";

    private SecurityChecks() {}

    public static List<CheckResult> evaluate(NodeSample node, Thresholds t) {
        List<CheckResult> out = new ArrayList<>();
        if (node.acceptsNewConnections() != null) {
            boolean ok = node.acceptsNewConnections();
            out.add(CheckResult.flag(
                    ACCEPTS_CONNECTIONS,
                    Severity.CRITICAL,
                    !ok,
                    ok ? "a new connection succeeded" : "a new connection failed: " + node.freshConnectError()));
        }
        Security s = node.security();
        if (s == null) {
            return out;
        }
        if (t.sslRequired()) {
            out.add(CheckResult.flag(SSL, Severity.WARNING, !s.ssl(), s.ssl() ? "ssl is on" : "ssl is off"));
        }
        if (s.riskyHbaRules() != null) {
            out.add(CheckResult.above(
                    HBA_RULES,
                    Severity.WARNING,
                    s.riskyHbaRules().size(),
                    0,
                    "rules",
                    s.riskyHbaRules().isEmpty()
                            ? "no pg_hba rule trusts network clients or admits any address"
                            : "pg_hba rules trusting network clients or admitting any address: "
                                    + String.join("; ", s.riskyHbaRules())));
        }
        if (s.weakHbaRules() != null) {
            out.add(CheckResult.above(
                    HBA_METHODS,
                    Severity.WARNING,
                    s.weakHbaRules().size(),
                    0,
                    "rules",
                    s.weakHbaRules().isEmpty()
                            ? "no pg_hba rule for network clients accepts md5 or a clear-text password"
                            : "pg_hba rules accepting md5 or a clear-text password (use scram-sha-256): "
                                    + String.join("; ", s.weakHbaRules())));
        }
        if (t.pgauditRequired()) {
            boolean logging = s.pgauditLoaded()
                    && s.pgauditLog() != null
                    && !s.pgauditLog().isBlank()
                    && !s.pgauditLog().trim().equalsIgnoreCase("none");
            out.add(CheckResult.flag(
                    PGAUDIT,
                    Severity.WARNING,
                    !logging,
                    !s.pgauditLoaded()
                            ? "pgaudit is not in shared_preload_libraries"
                            : logging
                                    ? "pgaudit is loaded, pgaudit.log = " + s.pgauditLog()
                                    : "pgaudit is loaded but logs nothing (pgaudit.log = '"
                                            + (s.pgauditLog() == null ? "" : s.pgauditLog()) + "')"));
        }
        out.add(CheckResult.flag(
                PASSWORD_ENCRYPTION,
                Severity.WARNING,
                !SCRAM.equals(s.passwordEncryption()),
                "password_encryption = " + s.passwordEncryption()));
        List<String> logins = s.superuserNetworkSessions().stream()
                .filter(x -> !t.networkSuperusers().contains(x.substring(0, Math.max(0, x.indexOf('@')))))
                .toList();
        out.add(CheckResult.above(
                SUPERUSER_NETWORK_LOGINS,
                Severity.WARNING,
                logins.size(),
                0,
                "sessions",
                logins.isEmpty()
                        ? "no superuser session from the network besides " + t.networkSuperusers()
                        : "superuser sessions from the network: " + String.join(", ", logins)));
        return out;
    }
}
