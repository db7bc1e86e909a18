package io.pgops.backup.service;

import io.pgops.backup.domain.CatalogueEntry;
import io.pgops.backup.domain.ToolOutput;
import io.pgops.pgtools.Cmd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A stored backup unpacked into a scratch data directory (mode 700) with GNU tar: the data archive at the top,
 * the streamed WAL into {@code pg_wal}. A stored archive that does not unpack (a flipped byte breaks the
 * compressed stream's checksum, a truncated tar) is reported with its name.
 */
final class Extraction {
    private Extraction() {}

    /** An archive that would not unpack. */
    static final class BadArchive extends Exception {
        final String file;

        BadArchive(String file, String detail) {
            super(file + " does not unpack: " + detail);
            this.file = file;
        }
    }

    /** Creates a fresh scratch directory under {@code scratchRoot}. */
    static Path scratch(Path scratchRoot, String prefix) throws IOException {
        Files.createDirectories(scratchRoot);
        // traversable, not listable: the PostgreSQL account reaches its own scratch data directory through it
        Files.setPosixFilePermissions(scratchRoot, PosixFilePermissions.fromString("rwx--x--x"));
        return Files.createTempDirectory(
                scratchRoot,
                prefix,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    static void unpack(Path backupDir, CatalogueEntry entry, Path target) throws BadArchive, IOException {
        for (String f : entry.files()) {
            if (f.matches("[0-9]+\\.tar.*")) {
                throw new BadArchive(f, "tablespace archives are not restored yet (only the default tablespace)");
            }
        }
        untar(backupDir, entry.baseArchive(), target);
        Path wal = target.resolve("pg_wal");
        Files.createDirectories(wal);
        for (String f : entry.files()) {
            if (f.startsWith("pg_wal.tar")) {
                untar(backupDir, f, wal);
            }
        }
    }

    private static void untar(Path dir, String archive, Path target) throws BadArchive {
        Path file = dir.resolve(archive);
        if (!Files.isRegularFile(file)) {
            throw new BadArchive(archive, "missing from " + dir);
        }
        List<String> argv = new ArrayList<>(List.of("tar", "-x", "-f", file.toString(), "-C", target.toString()));
        if (archive.endsWith(".zst")) {
            argv.add("--zstd");
        } else if (archive.endsWith(".lz4")) {
            argv.addAll(List.of("-I", "lz4"));
        } else if (archive.endsWith(".gz")) {
            argv.add("--gzip");
        }
        Cmd.Result r = Cmd.of(argv).timeoutSeconds(3600).tryRun();
        if (r.exitCode() != 0) {
            throw new BadArchive(archive, ToolOutput.lastLines(r.output(), BaseBackup.TAIL));
        }
    }
}
