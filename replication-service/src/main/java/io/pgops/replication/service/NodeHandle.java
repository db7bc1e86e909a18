package io.pgops.replication.service;

import io.pgops.pgtools.OsUser;
import io.pgops.pgtools.PgBinaries;
import java.nio.file.Path;

/**
 * Everything an agent needs to act on its node with PostgreSQL's own tools.
 *
 * @param name the node's name (its cluster_name and application_name)
 * @param dataDir the node's data directory
 * @param port the node's port on loopback
 * @param serverOptions node-specific options for {@code pg_ctl -o} (port, cluster_name, socket directory)
 * @param logFile where pg_ctl writes the server log
 * @param superuser a superuser account (pg_rewind reads the source through it)
 * @param replication the replication account (pg_basebackup, primary_conninfo)
 * @param libpq libpq's TLS environment for the tools' connections ({@code PGSSLMODE}, {@code PGSSLROOTCERT}: the
 *     cluster's {@code sslmode} and CA, {@link io.pgops.kit.inventory.PgTls#libpqEnv})
 */
public record NodeHandle(
        String name,
        Path dataDir,
        int port,
        String serverOptions,
        Path logFile,
        PgBinaries bin,
        OsUser osUser,
        Account superuser,
        Account replication,
        java.util.Map<String, String> libpq) {

    public NodeHandle {
        libpq = java.util.Map.copyOf(libpq);
    }

    /** Without TLS settings: libpq's defaults. */
    public NodeHandle(
            String name,
            Path dataDir,
            int port,
            String serverOptions,
            Path logFile,
            PgBinaries bin,
            OsUser osUser,
            Account superuser,
            Account replication) {
        this(name, dataDir, port, serverOptions, logFile, bin, osUser, superuser, replication, java.util.Map.of());
    }

    /** A login whose password is held in memory only for the tool's environment, never on a command line. */
    public record Account(String user, String password) {
        @Override
        public String toString() {
            return "Account[" + user + "]"; // never the password
        }
    }
}
