package io.pgops.backup.service;

import io.pgops.backup.domain.CatalogueEntry;
import io.pgops.backup.domain.ToolOutput;
import io.pgops.backup.domain.Verification;
import io.pgops.pgtools.Cmd;
import io.pgops.pgtools.OsUser;
import io.pgops.pgtools.PgBinaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The proof that a backup restores: its unpacked copy started as a private PostgreSQL (a free port, a Unix socket
 * in the scratch directory only, no TCP listener, trust for local connections only), which replays the backup's
 * WAL to consistency and must answer; then the largest tables of each database are counted, and it is stopped.
 * Settings that tie the copy to its cluster (synchronous standbys, archiving, preloaded libraries) are overridden
 * on the command line, so the copy neither waits for standbys nor archives into the cluster's archive.
 */
final class RestoreDrill {
    private final PgBinaries bin;
    private final OsUser pgUser;

    RestoreDrill(PgBinaries bin, OsUser pgUser) {
        this.bin = bin;
        this.pgUser = pgUser;
    }

    /**
     * @param data the unpacked backup (becomes the drill's data directory)
     * @param user a role of the backed-up cluster that may log in (the backup's own account)
     * @param unpackMillis how long unpacking took, counted into the restore time
     */
    Verification run(Path data, String user, long unpackMillis, CatalogueEntry e) {
        long t0 = System.nanoTime();
        Path log = data.resolve("pgops-restore-drill.log");
        int port = freePort();
        boolean started = false;
        Path socketDir = null;
        try {
            // its own short directory: a socket path longer than 107 bytes cannot be bound
            socketDir = Files.createTempDirectory(
                    Path.of("/tmp"),
                    "pgops-drill-",
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            pgUser.own(socketDir);
            Files.deleteIfExists(data.resolve("standby.signal"));
            Files.deleteIfExists(data.resolve("recovery.signal"));
            Files.writeString(data.resolve("pg_hba.conf"), "local all all trust\n");
            pgUser.own(data);
            // stopped in the finally below, or by the service's shutdown should it come first (stopRunning)
            started = true;
            RUNNING.put(data, this);
            Cmd.Result r = pgCtl(
                            data,
                            "start",
                            "-w",
                            "-t",
                            "600",
                            "-l",
                            log.toString(),
                            "-o",
                            String.join(
                                    " ",
                                    "-c port=" + port,
                                    "-c listen_addresses=''",
                                    "-c unix_socket_directories='" + socketDir + "'",
                                    "-c synchronous_standby_names=''",
                                    "-c archive_mode=off",
                                    "-c shared_preload_libraries=''",
                                    "-c cluster_name=pgops-restore-drill"))
                    .timeoutSeconds(660)
                    .tryRun();
            if (r.exitCode() != 0) {
                return failed("the restored copy did not start: " + ToolOutput.lastLines(tail(log), 6), t0);
            }
            long restoreMillis = unpackMillis + (System.nanoTime() - t0) / 1_000_000;
            String superuser = psql(socketDir, port, user, "postgres", "SELECT rolname FROM pg_roles WHERE oid = 10");
            if (!"f".equals(psql(socketDir, port, superuser, "postgres", "SELECT pg_is_in_recovery()"))) {
                return failed("the restored copy is still in recovery after it started", t0);
            }
            Map<String, Long> counts = new LinkedHashMap<>();
            String dbs = psql(
                    socketDir,
                    port,
                    superuser,
                    "postgres",
                    "SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate"
                            + " ORDER BY pg_database_size(oid) DESC, datname LIMIT 5");
            for (String db : lines(dbs)) {
                String tables = psql(
                        socketDir,
                        port,
                        superuser,
                        db,
                        "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n"
                                + " ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p')"
                                + " AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
                                + " AND n.nspname NOT LIKE 'pg\\_toast%'"
                                + " ORDER BY pg_total_relation_size(c.oid) DESC, 1 LIMIT 3");
                for (String t : lines(tables)) {
                    counts.put(
                            db + "." + t,
                            Long.parseLong(psql(socketDir, port, superuser, db, "SELECT count(*) FROM " + t)));
                }
            }
            return new Verification(
                    Verification.VERIFIED,
                    "restore",
                    "restored to a scratch server, consistent at " + e.stopLsn() + ", answering in " + restoreMillis
                            + " ms; counted " + counts.size() + " table(s)",
                    null,
                    e.rawBytes(),
                    (System.nanoTime() - t0) / 1_000_000 + unpackMillis,
                    restoreMillis,
                    counts,
                    Instant.now());
        } catch (IOException | RuntimeException ex) {
            return failed(
                    "the restore drill failed: " + ex.getMessage() + "\n" + ToolOutput.lastLines(tail(log), 6), t0);
        } finally {
            if (started) {
                stop(data);
            }
            if (socketDir != null) {
                Trees.delete(socketDir);
            }
        }
    }

    private String psql(Path socketDir, int port, String user, String db, String sql) {
        return Cmd.of(
                        bin.tool("psql"),
                        "-X",
                        "-q",
                        "-A",
                        "-t",
                        "-v",
                        "ON_ERROR_STOP=1",
                        "-h",
                        socketDir.toString(),
                        "-p",
                        Integer.toString(port),
                        "-U",
                        user,
                        "-d",
                        db,
                        "-c",
                        sql)
                .timeoutSeconds(600)
                .run()
                .strip();
    }

    /** The scratch servers of drills under way, by data directory. */
    private static final java.util.Map<Path, RestoreDrill> RUNNING = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Stops a drill's scratch server (nothing happens when it never started); not cut short by an interrupt, which the
     * service's shutdown sends to the drill's thread.
     */
    private void stop(Path data) {
        boolean interrupted = Thread.interrupted();
        try {
            pgCtl(data, "stop", "-w", "-t", "60", "-m", "immediate")
                    .timeoutSeconds(90)
                    .tryRun();
        } catch (RuntimeException e) {
            // logged by the caller's failure, if any; the shutdown's sweep tries again
        } finally {
            RUNNING.remove(data);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Stops every drill's scratch server still running: the service is shutting down, and what it started must not
     * outlive it (the drill's own thread, interrupted, may not get to its stop before the JVM exits).
     */
    static void stopRunning() {
        RUNNING.forEach((data, drill) -> drill.stop(data));
    }

    private Cmd pgCtl(Path data, String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of(bin.tool("pg_ctl"), "-D", data.toString()));
        argv.addAll(List.of(args));
        return Cmd.of(argv).as(pgUser);
    }

    private static List<String> lines(String s) {
        return s.isBlank() ? List.of() : List.of(s.strip().split("\\R"));
    }

    private static String tail(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private static Verification failed(String detail, long t0) {
        return new Verification(
                Verification.FAILED,
                "restore",
                detail,
                null,
                0,
                (System.nanoTime() - t0) / 1_000_000,
                0,
                Map.of(),
                Instant.now());
    }
}
