package io.pgops.backup.service;

import io.pgops.backup.domain.CatalogueEntry;
import io.pgops.backup.domain.RecoveryTarget;
import io.pgops.backup.domain.RepositoryLayout;
import io.pgops.backup.domain.RestorePlan;
import io.pgops.backup.domain.TimelineHistory;
import io.pgops.backup.domain.ToolOutput;
import io.pgops.backup.domain.WalGaps;
import io.pgops.backup.domain.WalSegment;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Timeline;
import io.pgops.pgtools.Cmd;
import io.pgops.pgtools.OsUser;
import io.pgops.pgtools.PgBinaries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Point-in-time restore into a new data directory: the newest backup that became consistent before the target
 * (or the one asked for) is unpacked as the restore drill does, and PostgreSQL is told to replay the cluster's WAL
 * archive up to the target and then promote ({@code recovery.signal} and the settings appended to {@code
 * postgresql.auto.conf}). Started on request, it is waited for until recovery ended. A restored server is a new,
 * standalone one: synchronous standbys and archiving are switched off in what is appended (it must never
 * archive into its origin's archive).
 */
public final class PointInTimeRestore {
    private final PgBinaries bin;
    private final OsUser pgUser;

    public PointInTimeRestore(PgBinaries bin, OsUser pgUser) {
        this.bin = bin;
        this.pgUser = pgUser;
    }

    /**
     * What to restore.
     *
     * @param cluster the cluster whose backups and archive are used
     * @param dataDir the new data directory: absent or empty
     * @param backupId the backup to start from, if the operator named one
     * @param target where replay stops
     * @param inclusive whether the target itself is replayed (PostgreSQL's default)
     * @param port the port to start it on; empty: do not start it
     * @param timeout how long recovery may take once started
     */
    public record Request(
            ClusterId cluster,
            Path dataDir,
            Optional<String> backupId,
            RecoveryTarget target,
            boolean inclusive,
            OptionalInt port,
            Duration timeout) {}

    /**
     * A restore done.
     *
     * @param plan the backup and the settings written
     * @param unpackMillis unpacking the backup, milliseconds
     * @param recoveryMillis from the start of the server until recovery ended, milliseconds (0 when not started)
     * @param timeline the timeline the promoted server runs on (null when not started)
     * @param archiveGaps gaps the WAL archive has after the chosen backup (replay stops at the first one)
     */
    public record Outcome(
            RestorePlan plan,
            Path dataDir,
            long unpackMillis,
            long recoveryMillis,
            Timeline timeline,
            List<WalGaps.Gap> archiveGaps) {}

    public Outcome restore(RepositoryLayout layout, Catalogue catalogue, Request r, Consumer<String> progress)
            throws BackupFailure {
        Path data = r.dataDir().toAbsolutePath().normalize();
        refuseUnlessEmpty(data);
        String wal = layout.wal(r.cluster()).toString();
        List<CatalogueEntry> backups = catalogue.list(r.cluster());
        RestorePlan plan;
        try {
            plan = RestorePlan.decide(backups, r.backupId(), r.target(), r.inclusive(), wal, WalSegment.DEFAULT_SIZE);
        } catch (IllegalArgumentException e) {
            throw new BackupFailure("plan", e.getMessage(), "");
        }
        progress.accept("restoring " + plan.backup().id() + " (" + plan.reason() + ") into " + data + ", replaying "
                + wal + " to " + r.target().describe());
        List<WalGaps.Gap> gaps = gapsAfter(layout, r.cluster(), plan.backup());
        for (WalGaps.Gap g : gaps) {
            progress.accept("warning: the WAL archive misses " + g.count() + " segment(s) on timeline " + g.timeline()
                    + " from " + g.startLsn(WalSegment.DEFAULT_SIZE) + ": replay stops there (a target beyond it"
                    + " is never reached)");
        }
        boolean created = !Files.exists(data);
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(data);
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
            Extraction.unpack(layout.backup(r.cluster(), plan.backup().id()), plan.backup(), data);
        } catch (Extraction.BadArchive | IOException e) {
            clear(data, created);
            throw new BackupFailure("unpack", "the backup could not be unpacked: " + e.getMessage(), "");
        }
        long unpackMillis = (System.nanoTime() - t0) / 1_000_000;
        try {
            pgUser.own(data);
            long segmentSize = segmentSize(data);
            if (segmentSize != WalSegment.DEFAULT_SIZE) {
                plan = RestorePlan.decide(backups, r.backupId(), r.target(), r.inclusive(), wal, segmentSize);
            }
            Files.deleteIfExists(data.resolve("standby.signal"));
            Files.writeString(data.resolve("recovery.signal"), "");
            List<String> conf = new ArrayList<>();
            conf.add("");
            conf.add("# pgops backup restore of " + plan.backup().id() + " to "
                    + r.target().describe());
            conf.add("synchronous_standby_names = ''");
            conf.add("archive_mode = off");
            conf.addAll(plan.confLines());
            Files.write(data.resolve("postgresql.auto.conf"), conf, StandardOpenOption.APPEND);
            pgUser.own(data);
        } catch (IOException | RuntimeException e) {
            throw new BackupFailure("configure", "the restored copy could not be configured: " + e.getMessage(), "");
        }
        progress.accept(String.format(
                "unpacked %s in %.1f s%s",
                plan.backup().id(),
                unpackMillis / 1000.0,
                r.port().isPresent() ? "" : ";" + " start it with pg_ctl -D " + data + " start"));
        if (r.port().isEmpty()) {
            return new Outcome(plan, data, unpackMillis, 0, null, gaps);
        }
        long t1 = System.nanoTime();
        Timeline tl = startAndAwaitPromotion(data, r.port().getAsInt(), r.timeout(), progress);
        return new Outcome(plan, data, unpackMillis, (System.nanoTime() - t1) / 1_000_000, tl, gaps);
    }

    /** The archive's gaps from the chosen backup on (none when the archive cannot be read: replay will tell). */
    private static List<WalGaps.Gap> gapsAfter(RepositoryLayout layout, ClusterId cluster, CatalogueEntry backup) {
        try {
            return WalArchive.check(layout.wal(cluster), List.of(backup), WalSegment.DEFAULT_SIZE)
                    .gaps();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static void refuseUnlessEmpty(Path data) throws BackupFailure {
        if (Files.exists(data.resolve("postmaster.pid"))) {
            throw new BackupFailure("plan", data + " is a running data directory: nothing was written", "");
        }
        if (Files.exists(data)) {
            if (!Files.isDirectory(data)) {
                throw new BackupFailure("plan", data + " is not a directory", "");
            }
            try (Stream<Path> s = Files.list(data)) {
                if (s.findAny().isPresent()) {
                    throw new BackupFailure("plan", data + " is not empty: restore into a new directory", "");
                }
            } catch (IOException e) {
                throw new BackupFailure("plan", "cannot read " + data + ": " + e.getMessage(), "");
            }
        }
    }

    private static void clear(Path data, boolean created) {
        if (created) {
            Trees.delete(data);
        } else if (Files.isDirectory(data)) {
            try (Stream<Path> s = Files.list(data)) {
                s.forEach(Trees::delete);
            } catch (IOException e) {
                // said by the failure that brought us here
            }
        }
    }

    /** The segment size pg_control records ("Bytes per WAL segment"). */
    private long segmentSize(Path data) {
        return Long.parseLong(controlField(data, "Bytes per WAL segment"));
    }

    private String controlField(Path data, String field) {
        String out = Cmd.of(bin.tool("pg_controldata"), data.toString())
                .as(pgUser)
                .env("LC_ALL", "C")
                .timeoutSeconds(60)
                .run();
        for (String line : out.split("\\R")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).strip();
            }
        }
        throw new IllegalStateException("pg_controldata of " + data + " says nothing of '" + field + "'");
    }

    /**
     * Starts the restored server (its socket in its data directory) and waits until pg_control says it is in
     * production: recovery reached the target (or the end of the archive) and promoted.
     */
    private Timeline startAndAwaitPromotion(Path data, int port, Duration timeout, Consumer<String> progress)
            throws BackupFailure {
        Path log = data.resolve("pgops-restore.log");
        // pg_ctl waits until the server accepts connections: at consistency with hot_standby, else at the end
        Cmd.Result r = Cmd.of(
                        bin.tool("pg_ctl"),
                        "-D",
                        data.toString(),
                        "-l",
                        log.toString(),
                        "-w",
                        "-t",
                        Long.toString(timeout.toSeconds()),
                        "-o",
                        "-p " + port + " -c unix_socket_directories='" + data + "'",
                        "start")
                .as(pgUser)
                .timeoutSeconds(timeout.toSeconds() + 30)
                .tryRun();
        if (r.exitCode() != 0) {
            String tail = tailOf(r.output(), log);
            // a target beyond the archive ends recovery before the server accepts connections, or after: the same
            // failure of recovery, whichever pg_ctl saw first
            boolean recovery = tail.contains("recovery ended before configured recovery target was reached");
            throw new BackupFailure(
                    recovery ? "recover" : "start",
                    recovery
                            ? "the restored server stopped during recovery (pg_ctl start exit " + r.exitCode() + ")"
                            : "pg_ctl start failed (exit " + r.exitCode() + ")",
                    tail);
        }
        progress.accept("started on port " + port + "; replaying WAL (server log: " + log + ")");
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastSaid = System.nanoTime();
        while (System.nanoTime() < deadline) {
            String state = controlField(data, "Database cluster state");
            if (state.equals("in production")) {
                return newestTimeline(data);
            }
            if (!Files.exists(data.resolve("postmaster.pid"))) {
                throw new BackupFailure("recover", "the restored server stopped during recovery", tailOf("", log));
            }
            if (System.nanoTime() - lastSaid > Duration.ofSeconds(10).toNanos()) {
                progress.accept("still recovering (" + state + ")");
                lastSaid = System.nanoTime();
            }
            pause();
        }
        throw new BackupFailure(
                "recover",
                "recovery did not end within " + timeout.toSeconds() + " s (the server runs on)",
                tailOf("", log));
    }

    /**
     * The timeline the promotion chose: the newest history file in pg_wal (written at promotion; pg_control's
     * checkpoint timeline changes only at the next checkpoint).
     */
    private static Timeline newestTimeline(Path data) {
        try (Stream<Path> s = Files.list(data.resolve("pg_wal"))) {
            return s.map(p -> TimelineHistory.timelineOf(p.getFileName().toString()))
                    .flatMap(Optional::stream)
                    .max(Timeline::compareTo)
                    .orElse(Timeline.of(1));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String tailOf(String output, Path log) {
        String text = output;
        try {
            if (Files.exists(log)) {
                text = text + "\n" + Files.readString(log);
            }
        } catch (IOException e) {
            // the tool's own output is all there is
        }
        return ToolOutput.lastLines(text, BaseBackup.TAIL);
    }

    /** pg_control offers no event to wait on: it is read again after a fifth of a second. */
    /** Between two reads of pg_control (a few milliseconds each): a restore of a small backup takes ~2 s in all. */
    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for recovery", e);
        }
    }
}
