package io.pgops.health.domain;

/** What to change for each security finding, in words an operator can act on. Pure. */
public final class SecurityRemedies {
    private SecurityRemedies() {}

    public static String of(String finding) {
        return switch (finding) {
            case CheckNames.SSL ->
                "set ssl = on with a server certificate and key (ssl_cert_file, ssl_key_file), reload, and have"
                        + " clients connect with sslmode=verify-full";
            case CheckNames.HBA_RULES ->
                "in pg_hba.conf replace trust for network clients with scram-sha-256 and narrow 0.0.0.0/0 or ::/0 to"
                        + " the addresses that need it, then SELECT pg_reload_conf()";
            case CheckNames.HBA_METHODS ->
                "change those rules' method to scram-sha-256 (set password_encryption = scram-sha-256 and set each"
                        + " password again first), then SELECT pg_reload_conf()";
            case CheckNames.PASSWORD_ENCRYPTION ->
                "set password_encryption = scram-sha-256 and set each role's password again (ALTER ROLE … PASSWORD),"
                        + " so none is stored as md5";
            case CheckNames.SUPERUSER_NETWORK_LOGINS ->
                "log in over the network as a role without SUPERUSER (the maintenance-service provisions"
                        + " least-privilege roles), or name this role in pgops.health.limits.network-superusers if it"
                        + " must";
            case CheckNames.PGAUDIT ->
                "add pgaudit to shared_preload_libraries (a restart), CREATE EXTENSION pgaudit, and set pgaudit.log"
                        + " (e.g. 'ddl, role'), then reload";
            default -> throw new IllegalArgumentException(finding + " is not a security check");
        };
    }
}
