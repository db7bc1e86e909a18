package io.pgops.stack.postgres;

import io.pgops.pgtools.Cmd;
import io.pgops.pgtools.OsUser;
import io.pgops.pgtools.PgBinaries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * One PostgreSQL instance on loopback, driven with PostgreSQL's own tools. Node-specific settings
 * (port, cluster_name, socket directory) go on the pg_ctl command line, never into postgresql.conf,
 * because pg_basebackup and pg_rewind copy the configuration files between nodes.
 */
public final class PgNode {
    private final String name;
    private final Path dataDir;
    private final Path socketDir;
    private final int port;
    private final PgBinaries bin;
    private final OsUser osUser;

    public PgNode(String name, Path dataDir, Path socketDir, int port, PgBinaries bin, OsUser osUser) {
        this.name = name;
        this.dataDir = dataDir;
        this.socketDir = socketDir;
        this.port = port;
        this.bin = bin;
        this.osUser = osUser;
    }

    /** The node-specific server options, given on pg_ctl's command line (never in postgresql.conf). */
    public String serverOptions() {
        return "-p " + port + " -c cluster_name=" + name + " -c unix_socket_directories=" + socketDir
                + " -c listen_addresses=127.0.0.1";
    }

    /** The server log pg_ctl writes. */
    public Path logFile() {
        return dataDir.resolveSibling(name + ".log");
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public boolean isInitialised() {
        return Files.exists(dataDir.resolve("PG_VERSION"));
    }

    /** initdb with scram for TCP and trust only on our own private socket directory. */
    public void initdb(Path superuserPasswordFile) {
        cmd(
                        bin.tool("initdb"),
                        "-D",
                        dataDir.toString(),
                        "-U",
                        "postgres",
                        "--auth-local=trust",
                        "--auth-host=scram-sha-256",
                        "--pwfile=" + superuserPasswordFile,
                        "-E",
                        "UTF8",
                        "--locale=C")
                .timeoutSeconds(180)
                .run();
    }

    public void appendConf(String text) {
        append(dataDir.resolve("postgresql.conf"), text);
    }

    public void appendHba(String text) {
        append(dataDir.resolve("pg_hba.conf"), text);
    }

    private void append(Path file, String text) {
        try {
            Files.writeString(file, "\n" + text + "\n", java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file, e);
        }
    }

    public void start() {
        if (isRunning()) {
            return;
        }
        String opts = serverOptions();
        cmd(
                        bin.tool("pg_ctl"),
                        "-D",
                        dataDir.toString(),
                        "-l",
                        logFile().toString(),
                        "-w",
                        "-t",
                        "120",
                        "-o",
                        opts,
                        "start")
                .timeoutSeconds(150)
                .run();
    }

    /** Stops with the given pg_ctl mode (smart, fast, immediate); no-op when not running. */
    public void stop(String mode) {
        if (!isRunning()) {
            return;
        }
        java.util.Optional<ProcessHandle> postmaster = pidValue().flatMap(ProcessHandle::of);
        cmd(bin.tool("pg_ctl"), "-D", dataDir.toString(), "-m", mode, "-w", "-t", "60", "stop")
                .timeoutSeconds(90)
                .tryRun();
        // pg_ctl returns once postmaster.pid is gone, a moment before the process itself is
        postmaster.ifPresent(p -> {
            try {
                p.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // still there after 10 s: status and the caller's checks will say so
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    public boolean isRunning() {
        return Files.exists(dataDir.resolve("postmaster.pid"))
                && cmd(bin.tool("pg_ctl"), "-D", dataDir.toString(), "status")
                                .tryRun()
                                .exitCode()
                        == 0;
    }

    /** The postmaster's pid, read from postmaster.pid. */
    public java.util.Optional<Long> pidValue() {
        OptionalLong p = pid();
        return p.isPresent() ? java.util.Optional.of(p.getAsLong()) : java.util.Optional.empty();
    }

    public OptionalLong pid() {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"));
            return lines.isEmpty()
                    ? OptionalLong.empty()
                    : OptionalLong.of(Long.parseLong(lines.getFirst().trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** SIGKILL to the postmaster, as a crash or an OOM kill would end it (its backends follow it). */
    public void kill() {
        pidValue().flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** SIGSTOP to the postmaster and every backend: the node hangs, as a stalled VM would. */
    public void pause() {
        signalAll("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() {
        signalAll("CONT");
    }

    private void signalAll(String signal) {
        pidValue().flatMap(ProcessHandle::of).ifPresent(postmaster -> {
            List<String> argv = new ArrayList<>(List.of("kill", "-" + signal, Long.toString(postmaster.pid())));
            postmaster.descendants().forEach(p -> argv.add(Long.toString(p.pid())));
            Cmd.of(argv).tryRun(); // a backend that exited meanwhile is no error
        });
    }

    /** Runs SQL as the local superuser over the private socket; returns unaligned, tuples-only output. */
    public String sql(String sql) {
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
                        "postgres",
                        "-d",
                        "postgres")
                .input(sql) // on stdin, so passwords in SQL never show in a process list
                .timeoutSeconds(60)
                .run()
                .strip();
    }

    /** "primary" or "standby", from pg_is_in_recovery(). */
    public String role() {
        return "t".equals(sql("SELECT pg_is_in_recovery()")) ? "standby" : "primary";
    }

    /** Clones this node's data from {@code primary} with pg_basebackup (-R writes standby config). */
    public void cloneFrom(PgNode primary, String replicationUser, Path passFile, String slot) {
        List<String> argv = new ArrayList<>(List.of(
                bin.tool("pg_basebackup"),
                "-D",
                dataDir.toString(),
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(primary.port),
                "-U",
                replicationUser,
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
                "-w"));
        if (slot != null) {
            argv.addAll(List.of("-S", slot));
        }
        Cmd.of(argv)
                .as(osUser)
                .env("PGPASSFILE", passFile.toString())
                .timeoutSeconds(300)
                .run();
    }

    private Cmd cmd(String... argv) {
        return Cmd.of(argv).as(osUser);
    }
}
