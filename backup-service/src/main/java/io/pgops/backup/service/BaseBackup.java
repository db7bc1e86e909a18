package io.pgops.backup.service;

import io.pgops.backup.domain.BackupId;
import io.pgops.backup.domain.CatalogueEntry;
import io.pgops.backup.domain.Compression;
import io.pgops.backup.domain.ManifestSummary;
import io.pgops.backup.domain.RepositoryLayout;
import io.pgops.backup.domain.ToolOutput;
import io.pgops.backup.domain.Verification;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.Timeline;
import io.pgops.pgtools.Cmd;
import io.pgops.pgtools.PgBinaries;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A full physical backup with PostgreSQL's own pg_basebackup: tar format, WAL streamed alongside ({@code -X
 * stream}, so the backup restores on its own), a backup manifest, compressed on the server where it can. It is
 * written under a partial name and renamed to its id only once pg_basebackup succeeded, its manifest was read
 * and its catalogue entry written: nothing half-done ever carries a backup's name.
 */
public final class BaseBackup {
    /** Lines of a tool's output kept in a failure. */
    static final int TAIL = 8;

    private final PgBinaries bin;
    private final Duration timeout;
    private final int compressWorkers;

    public BaseBackup(PgBinaries bin, Duration timeout) {
        this(bin, timeout, 1);
    }

    /** @param compressWorkers threads the source server compresses zstd in (1: its walsender alone) */
    public BaseBackup(PgBinaries bin, Duration timeout, int compressWorkers) {
        if (compressWorkers < 1) {
            throw new IllegalArgumentException("compress workers must be at least 1, not " + compressWorkers);
        }
        this.bin = bin;
        this.timeout = timeout;
        this.compressWorkers = compressWorkers;
    }

    /** What the node says before the backup: its timeline and WAL position, its server version. */
    public record Identity(Timeline timeline, Lsn position, int serverMajor) {}

    /**
     * Asks the node over a replication connection (IDENTIFY_SYSTEM, as pg_basebackup will): fails fast with the
     * reason when the node is down or refuses the account.
     */
    public Identity identify(Source s) throws BackupFailure {
        Cmd.Result r = s.environment(Cmd.of(
                        bin.tool("psql"),
                        "-X",
                        "-A",
                        "-t",
                        "-w",
                        "-c",
                        "IDENTIFY_SYSTEM",
                        "-c",
                        "SHOW server_version_num",
                        s.conninfo("pgops-backup", "dbname=replication", "replication=true")))
                .env("PGCONNECT_TIMEOUT", "10")
                .timeoutSeconds(60)
                .tryRun();
        String[] lines = r.output().strip().split("\\R");
        if (r.exitCode() != 0 || lines.length < 2 || !lines[0].contains("|")) {
            throw new BackupFailure(
                    "start",
                    "node " + s.node() + " at " + s.hostPort() + " does not answer as a replication source",
                    ToolOutput.lastLines(r.output(), TAIL));
        }
        String[] f = lines[0].split("\\|", -1);
        return new Identity(
                Timeline.of(Long.parseLong(f[1].strip())),
                Lsn.parse(f[2].strip()),
                Integer.parseInt(lines[1].strip()) / 10000);
    }

    /**
     * Takes the backup into {@code layout}: {@code <root>/<cluster>/<id>/} holds the data archive, {@code
     * pg_wal.tar}, {@code backup_manifest} and {@code backup.json}.
     */
    public CatalogueEntry take(
            RepositoryLayout layout, Source s, BackupId id, Compression requested, boolean fastCheckpoint, Identity who)
            throws BackupFailure {
        Compression.Plan plan = requested.planFor(who.serverMajor(), compressWorkers);
        Path partial = layout.partial(s.cluster(), id);
        Path done = layout.backup(s.cluster(), id);
        Instant startedAt = Instant.now();
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(
                    partial.getParent(),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.createDirectory(
                    partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            throw new BackupFailure("store", "backup " + id + " is already being written in " + partial, "");
        } catch (IOException e) {
            throw new BackupFailure("store", "cannot create " + partial + ": " + e.getMessage(), "");
        }
        try {
            List<String> argv = new ArrayList<>(List.of(
                    bin.tool("pg_basebackup"),
                    "--pgdata=" + partial,
                    "--format=tar",
                    "--wal-method=stream",
                    "--checkpoint=" + (fastCheckpoint ? "fast" : "spread"),
                    "--label=pgops " + id,
                    "--no-password",
                    "--verbose",
                    "--dbname=" + s.conninfo("pgops-backup")));
            argv.addAll(plan.arguments());
            Cmd.Result r = s.environment(Cmd.of(argv))
                    .env("PGCONNECT_TIMEOUT", "10")
                    .timeoutSeconds(timeout.toSeconds())
                    .tryRun();
            if (r.exitCode() != 0) {
                throw new BackupFailure(
                        "copy",
                        "pg_basebackup of " + s.node() + " at " + s.hostPort() + " failed (exit " + r.exitCode() + ")",
                        ToolOutput.lastLines(r.output(), TAIL));
            }
            ManifestSummary m = Manifests.read(partial.resolve("backup_manifest"));
            long wal = storedFiles(partial).stream()
                    .filter(f -> f.startsWith("pg_wal.tar"))
                    .mapToLong(f -> sizeOf(partial.resolve(f)))
                    .sum(); // before compressing it: raw bytes
            compressWal(partial, plan.used());
            List<String> files = storedFiles(partial);
            long stored = size(partial, files);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            CatalogueEntry entry = new CatalogueEntry(
                    id,
                    s.cluster(),
                    s.node(),
                    s.hostPort(),
                    m.startLsn(),
                    m.stopLsn(),
                    m.timeline(),
                    m.fileBytes() + wal,
                    stored,
                    millis,
                    plan.used().code(),
                    plan.reason(),
                    files,
                    startedAt,
                    Instant.now(),
                    Verification.none());
            Catalogue.write(partial, entry);
            try {
                Files.move(partial, done, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, done);
            }
            return entry;
        } catch (IOException | RuntimeException e) {
            throw new BackupFailure("store", "the backup could not be stored: " + e.getMessage(), "");
        } finally {
            if (Files.exists(partial)) {
                Trees.delete(partial);
            }
        }
    }

    /**
     * The WAL streamed beside the data ({@code pg_wal.tar}) compressed like the data archive: pg_basebackup writes
     * it uncompressed when the server compresses, and after a fast checkpoint it is mostly whole segments of
     * little content (16 MiB of a pgbench scale 50 backup of 52 MB). The compressed file is synced before the
     * uncompressed one is removed; without the tool (or when it fails) the WAL stays uncompressed, which restores
     * the same.
     */
    static void compressWal(Path dir, Compression used) throws IOException {
        Path wal = dir.resolve("pg_wal.tar");
        if (used == Compression.NONE || !Files.isRegularFile(wal)) {
            return;
        }
        Path out = dir.resolve("pg_wal" + used.archiveSuffix());
        List<String> argv = switch (used) {
            case ZSTD -> List.of("zstd", "-q", "-f", "-T0", wal.toString(), "-o", out.toString());
            case LZ4 -> List.of("lz4", "-q", "-f", wal.toString(), out.toString());
            case GZIP -> List.of("sh", "-c", "gzip -c -6 \"$1\" > \"$2\"", "gzip", wal.toString(), out.toString());
            case NONE -> List.of();
        };
        Cmd.Result r;
        try {
            r = Cmd.of(argv).timeoutSeconds(timeoutOf(wal)).tryRun();
        } catch (RuntimeException e) { // the tool is not installed
            Files.deleteIfExists(out);
            return;
        }
        if (r.exitCode() != 0 || !Files.isRegularFile(out)) {
            Files.deleteIfExists(out);
            return;
        }
        try (FileChannel c = FileChannel.open(out, StandardOpenOption.WRITE)) {
            c.force(true);
        }
        Files.delete(wal);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // the new name and the removal
        }
    }

    /** A generous bound: a minute per GiB, at least a minute. */
    private static long timeoutOf(Path file) throws IOException {
        return 60 + Files.size(file) / (1L << 30) * 60;
    }

    private static List<String> storedFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("."))
                    .sorted()
                    .toList();
        }
    }

    private static long size(Path dir, List<String> files) {
        return files.stream().mapToLong(f -> sizeOf(dir.resolve(f))).sum();
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
