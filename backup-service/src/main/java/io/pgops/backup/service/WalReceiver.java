package io.pgops.backup.service;

import io.pgops.backup.domain.ToolOutput;
import io.pgops.pgtools.Cmd;
import io.pgops.pgtools.OsUser;
import io.pgops.pgtools.PgBinaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Continuous WAL archiving of one cluster with PostgreSQL's own pg_receivewal: it streams from the node it is
 * pointed at through a physical replication slot of its own (created there when missing, so the primary keeps
 * the WAL the archive has not received yet), compressed, into the cluster's archive directory. A supervisor
 * thread starts it again whenever it exits, after a backoff that doubles up to a limit and starts over once a run
 * lasted a minute. Pointed at another node (a failover or switchover), it stops the running receiver and starts
 * one against the new primary at once; pg_receivewal resumes from the newest segment in the directory, follows
 * the timeline switch and fetches the new timeline's history file.
 *
 * <p>pg_receivewal runs as PostgreSQL's account, so a restored server's {@code restore_command} (run by that
 * account) can read the archive. The password reaches it through the environment only.
 */
public final class WalReceiver implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WalReceiver.class);
    /** Lines of pg_receivewal's log kept for the status and for failures. */
    static final int TAIL = 6;

    private final PgBinaries bin;
    private final OsUser pgUser;
    private final Path dir;
    private final Path log;
    private final Settings settings;
    private final Thread supervisor;

    private Source target;
    private Source streamingFrom;
    private Process process;
    private boolean closed;
    private int starts;
    private String lastExit = "";

    /**
     * How the receiver runs.
     *
     * @param slot the physical replication slot's name ({@code [a-z0-9_]}, at most 63 characters)
     * @param compression {@code lz4}, {@code gzip} or {@code none} (pg_receivewal 15 knows no zstd)
     * @param minBackoff the first wait before a restart
     * @param maxBackoff the longest wait before a restart
     */
    public record Settings(String slot, String compression, Duration minBackoff, Duration maxBackoff) {
        public Settings {
            if (slot == null || !slot.matches("[a-z0-9_]{1,63}")) {
                throw new IllegalArgumentException(
                        "replication slot name '" + slot + "' must be 1-63 characters of [a-z0-9_]");
            }
            if (!List.of("lz4", "gzip", "none").contains(compression)) {
                throw new IllegalArgumentException(
                        "WAL compression '" + compression + "' is not one of lz4, gzip, none");
            }
        }

        /** The slot of a cluster's archive: {@code pgops_wal_<cluster>} with {@code -} made {@code _}. */
        public static String slotFor(io.pgops.events.model.ClusterId cluster) {
            String s = "pgops_wal_" + cluster.value().replace('-', '_');
            return s.length() > 63 ? s.substring(0, 63) : s;
        }
    }

    /** What the receiver is doing. */
    public record Status(
            Optional<String> streamingFrom, boolean running, int starts, String lastExit, Optional<String> target) {}

    /**
     * @param dir the archive directory ({@code <repo>/<cluster>/wal}); created, handed to PostgreSQL's account
     * @param log where pg_receivewal's output is appended
     */
    public WalReceiver(PgBinaries bin, OsUser pgUser, Path dir, Path log, Settings settings) {
        this.bin = bin;
        this.pgUser = pgUser;
        this.dir = dir;
        this.log = log;
        this.settings = settings;
        try {
            Files.createDirectories(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            // the cluster's directory: traversable (not listable) for the account that restores read the archive
            Files.setPosixFilePermissions(dir.getParent(), PosixFilePermissions.fromString("rwx--x--x"));
            pgUser.own(dir);
            Files.createDirectories(log.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the WAL archive " + dir, e);
        }
        this.supervisor = Thread.ofPlatform()
                .daemon()
                .name("wal-receiver-" + dir.getParent().getFileName())
                .unstarted(this::supervise);
    }

    /** Streams from {@code primary} from now on (starting the supervisor on first use). */
    public synchronized void follow(Source primary) {
        if (closed) {
            throw new IllegalStateException("the WAL receiver of " + dir + " is closed");
        }
        boolean moved = target != null && !sameNode(target, primary);
        target = primary;
        if (supervisor.getState() == Thread.State.NEW) {
            supervisor.start();
        } else if (moved && process != null) {
            interrupt(process); // the supervisor starts it again against the new primary at once
        }
        notifyAll();
    }

    public synchronized Status status() {
        return new Status(
                Optional.ofNullable(streamingFrom).map(Source::hostPort),
                process != null && process.isAlive(),
                starts,
                lastExit,
                Optional.ofNullable(target).map(Source::hostPort));
    }

    public Path directory() {
        return dir;
    }

    private static boolean sameNode(Source a, Source b) {
        return a.host().equals(b.host()) && a.port() == b.port();
    }

    private void supervise() {
        Duration backoff = Duration.ZERO;
        while (true) {
            Source s;
            synchronized (this) {
                while (!closed && target == null) {
                    waitQuietly(0);
                }
                if (closed) {
                    return;
                }
                s = target;
            }
            Instant began = Instant.now();
            String outcome;
            try {
                outcome = runOnce(s);
            } catch (RuntimeException e) {
                outcome = "could not start: " + e.getMessage();
            }
            synchronized (this) {
                process = null;
                streamingFrom = null;
                lastExit = Instant.now() + " " + outcome;
                if (closed) {
                    return;
                }
                if (!sameNode(s, target)) {
                    LOG.infof("WAL archive %s: %s; now streaming from %s", dir, outcome, target.hostPort());
                    backoff = Duration.ZERO; // re-pointed: start against the new primary at once
                    continue;
                }
                boolean ranLong = Duration.between(began, Instant.now()).compareTo(Duration.ofMinutes(1)) > 0;
                backoff = ranLong || backoff.isZero()
                        ? settings.minBackoff()
                        : min(backoff.multipliedBy(2), settings.maxBackoff());
                LOG.warnf("WAL archive %s: %s; starting it again in %d ms", dir, outcome, backoff.toMillis());
                long until = System.nanoTime() + backoff.toNanos();
                while (!closed && sameNode(s, target) && System.nanoTime() < until) {
                    waitQuietly(Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())));
                }
            }
        }
    }

    /** Ensures the slot on {@code s}, runs pg_receivewal until it exits; says how it ended. */
    private String runOnce(Source s) {
        Cmd.Result slot = s.environment(Cmd.of(
                        bin.tool("pg_receivewal"),
                        "--create-slot",
                        "--if-not-exists",
                        "--slot=" + settings.slot(),
                        "--no-password",
                        "--dbname=" + conninfo(s)))
                .as(pgUser)
                .env("PGCONNECT_TIMEOUT", "10")
                .timeoutSeconds(60)
                .tryRun();
        if (slot.exitCode() != 0) {
            return "slot " + settings.slot() + " could not be created on " + s.hostPort() + ": "
                    + ToolOutput.lastLines(slot.output(), 3);
        }
        List<String> argv = new ArrayList<>(List.of(
                bin.tool("pg_receivewal"),
                "--directory=" + dir,
                "--slot=" + settings.slot(),
                "--no-loop",
                "--no-password",
                "--verbose",
                "--status-interval=5",
                "--dbname=" + conninfo(s)));
        if (!settings.compression().equals("none")) {
            argv.add("--compress=" + settings.compression());
        }
        Process p = s.environment(Cmd.of(argv))
                .as(pgUser)
                .env("PGCONNECT_TIMEOUT", "10")
                .start(log);
        synchronized (this) {
            if (closed || !sameNode(s, target)) {
                interrupt(p);
            }
            process = p;
            streamingFrom = s;
            starts++;
        }
        try {
            int rc = p.waitFor();
            return "pg_receivewal from " + s.hostPort() + " exited with " + rc + ": " + ToolOutput.lastLines(tail(), 2);
        } catch (InterruptedException e) {
            interrupt(p);
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private String conninfo(Source s) {
        return s.conninfo("pgops-wal-" + dir.getParent().getFileName());
    }

    /** The receiver's last lines of output. */
    public String tail() {
        try {
            if (!Files.exists(log)) {
                return "";
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private void waitQuietly(long millis) {
        try {
            wait(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    /**
     * SIGINT, pg_receivewal's own way to stop (it closes the segment it writes); to runuser's child too, which
     * is pg_receivewal when the tool runs as PostgreSQL's account.
     */
    private static void interrupt(Process p) {
        List<String> argv = new ArrayList<>(List.of("kill", "-INT"));
        p.descendants().forEach(d -> argv.add(Long.toString(d.pid())));
        argv.add(Long.toString(p.pid()));
        Cmd.of(argv).tryRun(); // one that exited meanwhile is no error
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Stops pg_receivewal (it flushes what it received) and the supervisor; the slot stays. */
    @Override
    public void close() {
        Process p;
        synchronized (this) {
            closed = true;
            p = process;
            notifyAll();
        }
        if (p != null) {
            interrupt(p);
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            supervisor.join(TimeUnit.SECONDS.toMillis(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
