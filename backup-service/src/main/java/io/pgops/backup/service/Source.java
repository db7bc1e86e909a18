package io.pgops.backup.service;

import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;

/**
 * The node a backup is taken from and the account it connects with (a role with REPLICATION, allowed
 * replication connections by pg_hba.conf). The password is held only for the tool's environment
 * ({@code PGPASSWORD}), never put on a command line, never printed.
 */
public record Source(
        ClusterId cluster,
        NodeName node,
        String host,
        int port,
        String user,
        String password,
        java.util.Map<String, String> libpq) {

    /**
     * @param libpq libpq's TLS environment for the tools ({@code PGSSLMODE}, {@code PGSSLROOTCERT}: the cluster's
     *     {@code sslmode} and CA, {@link io.pgops.kit.inventory.PgTls#libpqEnv})
     */
    public Source {
        libpq = java.util.Map.copyOf(libpq);
    }

    /** Under libpq's TLS defaults (its environment, else {@code prefer}). */
    public Source(ClusterId cluster, NodeName node, String host, int port, String user, String password) {
        this(cluster, node, host, port, user, password, java.util.Map.of());
    }

    /**
     * A libpq connection string for this node, every value quoted, so a host or user name from outside (the
     * inventory, a topology record) can never add a keyword of its own.
     */
    public String conninfo(String applicationName, String... extra) {
        StringBuilder b = new StringBuilder("host=")
                .append(quote(host))
                .append(" port=")
                .append(port)
                .append(" user=")
                .append(quote(user))
                .append(" application_name=")
                .append(quote(applicationName));
        for (String e : extra) {
            b.append(' ').append(e);
        }
        return b.toString();
    }

    static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** The tool's environment: the password (if any; never its command line) and libpq's TLS settings. */
    public io.pgops.pgtools.Cmd environment(io.pgops.pgtools.Cmd cmd) {
        cmd.env(libpq);
        return password == null ? cmd : cmd.env("PGPASSWORD", password);
    }

    public String hostPort() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return "Source[" + cluster + "/" + node + " " + hostPort() + " as " + user + "]"; // never the password
    }
}
