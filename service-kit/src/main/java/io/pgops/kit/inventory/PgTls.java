package io.pgops.kit.inventory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cluster's {@code sslmode} and {@code sslrootcert} ({@link Inventory.Cluster}) as every pgops connection to its
 * nodes applies them, with libpq's meaning: {@code verify-full} checks the server's certificate against the CA and
 * the host name (or address) connected to; {@code verify-ca} the CA only; {@code require}, {@code prefer} and {@code
 * allow} encrypt without verifying unless a CA is given; {@code disable} never encrypts. Free of the Vert.x client
 * (the backup-service has none): {@link PgTlsOptions} applies the settings to it.
 */
public final class PgTls {
    /** libpq's modes, weakest first. */
    public static final List<String> MODES =
            List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

    private PgTls() {}

    /** The cluster's settings checked: a mode libpq knows, and a readable CA where the mode verifies. */
    public static void check(String clusterId, Inventory.Cluster c) {
        if (!MODES.contains(c.sslmode())) {
            throw new IllegalArgumentException("pgops.clusters." + clusterId + ".sslmode is '" + c.sslmode()
                    + "'; it is one of " + String.join(", ", MODES));
        }
        boolean verifies = c.sslmode().startsWith("verify-");
        if (verifies && c.sslrootcert().isEmpty()) {
            throw new IllegalArgumentException("pgops.clusters." + clusterId + ".sslmode " + c.sslmode()
                    + " needs pgops.clusters." + clusterId + ".sslrootcert, the CA certificate that signed the nodes'");
        }
        c.sslrootcert().ifPresent(f -> {
            if (!Files.isReadable(Path.of(f))) {
                throw new IllegalArgumentException(
                        "pgops.clusters." + clusterId + ".sslrootcert names " + f + ", which cannot be read");
            }
        });
    }

    /** The same settings for PostgreSQL's own tools (psql, pg_basebackup, pg_dump, …), as libpq's environment. */
    public static Map<String, String> libpqEnv(Inventory.Cluster c) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PGSSLMODE", c.sslmode());
        c.sslrootcert().ifPresent(f -> env.put("PGSSLROOTCERT", f));
        return env;
    }
}
