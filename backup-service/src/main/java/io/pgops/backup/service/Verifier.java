package io.pgops.backup.service;

import io.pgops.backup.domain.CatalogueEntry;
import io.pgops.backup.domain.RepositoryLayout;
import io.pgops.backup.domain.ToolOutput;
import io.pgops.backup.domain.Verification;
import io.pgops.pgtools.Cmd;
import io.pgops.pgtools.OsUser;
import io.pgops.pgtools.PgBinaries;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Checks a stored backup the way a restore would use it: unpacks it into a scratch directory, runs
 * pg_verifybackup against its manifest (PostgreSQL 15 verifies plain directories only, hence the unpacking) and
 * the WAL it needs, and then, when asked, the restore drill on the same unpacked copy. The scratch directory is
 * removed afterwards, whatever happened.
 */
public final class Verifier {
    private final PgBinaries bin;
    private final OsUser pgUser;
    private final Path scratchRoot;

    public Verifier(PgBinaries bin, OsUser pgUser, Path scratchRoot) {
        this.bin = bin;
        this.pgUser = pgUser;
        this.scratchRoot = scratchRoot;
    }

    /** The manifest check and, when the drill ran, its outcome ({@code restore} is null without a drill). */
    public record Outcome(Verification manifest, Verification restore) {
        /** The last word: the drill's when it ran, else the manifest check's. */
        public Verification last() {
            return restore != null ? restore : manifest;
        }
    }

    public Outcome verify(RepositoryLayout layout, CatalogueEntry e, boolean drill, String drillUser) {
        Path dir = layout.backup(e.cluster(), e.id());
        Path scratch = null;
        long t0 = System.nanoTime();
        try {
            scratch = Extraction.scratch(scratchRoot, "v-");
            try {
                Extraction.unpack(dir, e, scratch);
            } catch (Extraction.BadArchive bad) {
                return new Outcome(failed("manifest", bad.getMessage(), bad.file, t0), null);
            }
            long unpackMillis = (System.nanoTime() - t0) / 1_000_000;
            Cmd.Result r = Cmd.of(
                            bin.tool("pg_verifybackup"),
                            "--manifest-path=" + dir.resolve("backup_manifest"),
                            "--wal-directory=" + scratch.resolve("pg_wal"),
                            scratch.toString())
                    .env("LC_ALL", "C")
                    .timeoutSeconds(3600)
                    .tryRun();
            Verification manifest;
            if (r.exitCode() != 0) {
                List<String> bad = ToolOutput.badFiles(r.output());
                String file = bad.isEmpty() ? null : bad.getFirst();
                manifest = failed(
                        "manifest",
                        (file == null ? "pg_verifybackup failed" : "file " + file + " does not match the manifest")
                                + ": " + ToolOutput.errorLines(r.output(), BaseBackup.TAIL),
                        file,
                        t0);
                return new Outcome(manifest, null);
            }
            manifest = new Verification(
                    Verification.VERIFIED,
                    "manifest",
                    "pg_verifybackup: every file matches the manifest and the WAL " + e.startLsn() + ".." + e.stopLsn()
                            + " parses",
                    null,
                    e.rawBytes(),
                    (System.nanoTime() - t0) / 1_000_000,
                    0,
                    Map.of(),
                    Instant.now());
            if (!drill) {
                return new Outcome(manifest, null);
            }
            return new Outcome(manifest, new RestoreDrill(bin, pgUser).run(scratch, drillUser, unpackMillis, e));
        } catch (IOException | RuntimeException ex) {
            return new Outcome(failed("manifest", "verification could not run: " + ex.getMessage(), null, t0), null);
        } finally {
            if (scratch != null) {
                Trees.delete(scratch);
            }
        }
    }

    private static Verification failed(String method, String detail, String file, long t0) {
        return new Verification(
                Verification.FAILED,
                method,
                detail,
                file,
                0,
                (System.nanoTime() - t0) / 1_000_000,
                0,
                Map.of(),
                Instant.now());
    }
}
