package io.pgops.backup.service;

import io.pgops.backup.domain.BackupId;
import io.pgops.backup.domain.DumpEntry;
import io.pgops.backup.domain.RepositoryLayout;
import io.pgops.backup.domain.ToolOutput;
import io.pgops.events.model.ClusterId;
import io.pgops.pgtools.Cmd;
import io.pgops.pgtools.PgBinaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A logical dump of one database with PostgreSQL's own tools: {@code pg_dump -Fc} (schema and data), or {@code
 * --schema-only} for the pre-migration backup, into {@code <root>/<cluster>/dumps/.partial-<id>/<scope>.dump},
 * verified with {@code pg_restore --list} (the custom
 * format's table of contents must read whole), then {@code dump.json} beside it and the directory renamed to its
 * id: the catalogue holds only dumps that were written and verified. The password travels in the environment,
 * the database name inside a quoted conninfo value, never on a command line of its own. With the repository's key
 * ({@code pgops.backup.encryption-key}) the dump is stored encrypted and {@code bin/pgops backup decrypt} gives the
 * plain file back for {@code pg_restore}.
 */
public final class LogicalDump {
    private static final int TAIL = 8;

    private final PgBinaries bin;
    private final RepositoryLayout layout;
    private final Duration timeout;
    private final Duration lockWait;
    private final Optional<EncryptionKey> key;
    private final Path staging;

    public LogicalDump(PgBinaries bin, RepositoryLayout layout, Duration timeout, Duration lockWait) {
        this(bin, layout, timeout, lockWait, Optional.empty(), null);
    }

    /**
     * Dumps stored encrypted with {@code key} when one is given: pg_dump writes and pg_restore reads the plain dump
     * in a scratch directory under {@code staging} (outside the repository, mode 700, removed after), and only the
     * encrypted file ({@link ChunkedGcm}, AES-256-GCM in 1 MiB chunks) reaches the repository.
     */
    public LogicalDump(
            PgBinaries bin,
            RepositoryLayout layout,
            Duration timeout,
            Duration lockWait,
            Optional<EncryptionKey> key,
            Path staging) {
        if (key.isPresent() && staging == null) {
            throw new IllegalArgumentException("an encrypted dump needs a staging directory");
        }
        this.bin = bin;
        this.layout = layout;
        this.timeout = timeout;
        this.lockWait = lockWait;
        this.key = key;
        this.staging = staging;
    }

    /** Who asked: the command event's id, its correlation id and the migration's version. */
    public record Request(String eventId, String correlationId, String migrationVersion) {}

    /** The pre-migration backup: {@code --schema-only}. */
    public DumpEntry take(Source s, String database, Request request) throws BackupFailure {
        return take(s, database, request, DumpEntry.SCHEMA);
    }

    /**
     * A dump of {@code scope} ({@link DumpEntry#SCHEMA} or {@link DumpEntry#FULL}); {@code request} says who asked
     * (its event id and version are null for a scheduled dump).
     */
    public DumpEntry take(Source s, String database, Request request, String scope) throws BackupFailure {
        Instant startedAt = Instant.now();
        long t0 = System.nanoTime();
        BackupId id = DumpEntry.idFor(startedAt, s.node(), scope);
        String fileName = scope + ".dump";
        Path partial = layout.dumpPartial(s.cluster(), id);
        try {
            Files.createDirectories(
                    partial.getParent(),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.createDirectory(
                    partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            throw new BackupFailure("store", "dump " + id + " is already being written in " + partial, "");
        } catch (IOException e) {
            throw new BackupFailure("store", "cannot create " + partial + ": " + e.getMessage(), "");
        }
        Path scratch = null;
        try {
            if (key.isPresent()) {
                scratch = Extraction.scratch(staging, "dump-");
            }
            Path file = (scratch == null ? partial : scratch).resolve(fileName);
            List<String> argv = new ArrayList<>(List.of(bin.tool("pg_dump")));
            if (DumpEntry.SCHEMA.equals(scope)) {
                argv.add("--schema-only");
            }
            argv.addAll(List.of(
                    "--format=custom",
                    "--no-password",
                    "--lock-wait-timeout=" + lockWait.toMillis(),
                    "--file=" + file,
                    "--dbname=" + s.conninfo("pgops-backup", "dbname=" + Source.quote(database))));
            Cmd.Result dump = s.environment(Cmd.of(argv))
                    .env("PGCONNECT_TIMEOUT", "10")
                    .timeoutSeconds(timeout.toSeconds())
                    .tryRun();
            if (dump.exitCode() != 0) {
                throw new BackupFailure(
                        "copy",
                        "pg_dump" + (DumpEntry.SCHEMA.equals(scope) ? " --schema-only" : "") + " of database "
                                + database + " on " + s.node() + " at " + s.hostPort() + " failed (exit "
                                + dump.exitCode() + ")",
                        ToolOutput.lastLines(dump.output(), TAIL));
            }
            Cmd.Result list = Cmd.of(bin.tool("pg_restore"), "--list", file.toString())
                    .timeoutSeconds(120)
                    .tryRun();
            if (list.exitCode() != 0) {
                throw new BackupFailure(
                        "verify",
                        "pg_restore --list cannot read the dump of " + database + " (exit " + list.exitCode() + ")",
                        ToolOutput.lastLines(list.output(), TAIL));
            }
            int entries = tocEntries(list.output());
            Path stored = partial.resolve(fileName);
            if (key.isPresent()) {
                ChunkedGcm.encryptFile(file, stored, key.get());
            }
            DumpEntry entry = new DumpEntry(
                    id,
                    s.cluster(),
                    database,
                    scope,
                    s.node(),
                    s.hostPort(),
                    fileName,
                    Files.size(stored),
                    entries,
                    request.eventId(),
                    request.correlationId(),
                    request.migrationVersion(),
                    (System.nanoTime() - t0) / 1_000_000,
                    startedAt,
                    Instant.now(),
                    key.map(EncryptionKey::id).orElse(null));
            CatalogueJson.MAPPER
                    .writerWithDefaultPrettyPrinter()
                    .writeValue(partial.resolve(DumpEntry.FILE).toFile(), entry);
            try {
                Files.move(partial, layout.dump(s.cluster(), id), StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, layout.dump(s.cluster(), id));
            }
            return entry;
        } catch (IOException | RuntimeException e) {
            throw new BackupFailure("store", "the dump could not be stored: " + e.getMessage(), "");
        } finally {
            if (scratch != null) {
                Trees.delete(scratch);
            }
            if (Files.exists(partial)) {
                Trees.delete(partial);
            }
        }
    }

    /** The lines of {@code pg_restore --list} that name an entry (its header lines start with {@code ;}). */
    static int tocEntries(String listing) {
        return (int) Arrays.stream(listing.split("\\R"))
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith(";"))
                .count();
    }

    /**
     * The databases of a node worth a dump: those that accept connections and are not templates, read with psql
     * through the inventory's database.
     */
    public List<String> databases(Source s, String via) throws BackupFailure {
        Cmd.Result r = s.environment(Cmd.of(
                        bin.tool("psql"),
                        "-X",
                        "-A",
                        "-t",
                        "-v",
                        "ON_ERROR_STOP=1",
                        "-c",
                        "SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY 1",
                        "--dbname=" + s.conninfo("pgops-backup", "dbname=" + Source.quote(via))))
                .env("PGCONNECT_TIMEOUT", "10")
                .timeoutSeconds(60)
                .tryRun();
        if (r.exitCode() != 0) {
            throw new BackupFailure(
                    "start",
                    "cannot list the databases of " + s.node() + " at " + s.hostPort(),
                    ToolOutput.lastLines(r.output(), TAIL));
        }
        return Arrays.stream(r.output().split("\\R"))
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .toList();
    }

    /** The cluster's dumps, oldest first. */
    public List<DumpEntry> list(ClusterId cluster) {
        Path dir = layout.dumps(cluster);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<DumpEntry> out = new ArrayList<>();
        try (Stream<Path> children = Files.list(dir)) {
            for (Path d : children.filter(p ->
                            RepositoryLayout.isBackupDirectory(p.getFileName().toString()))
                    .sorted()
                    .toList()) {
                Path f = d.resolve(DumpEntry.FILE);
                if (Files.isRegularFile(f)) {
                    out.add(CatalogueJson.MAPPER.readValue(f.toFile(), DumpEntry.class));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return out;
    }

    /** The dump that answered the command event {@code eventId}, if one is catalogued. */
    public Optional<DumpEntry> answering(ClusterId cluster, String eventId) {
        return list(cluster).stream().filter(e -> eventId.equals(e.request())).findFirst();
    }

    /** The dump's file. */
    public Path file(DumpEntry e) {
        return layout.dump(e.cluster(), e.id()).resolve(e.file());
    }
}
