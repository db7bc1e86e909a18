package io.pgops.backup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.backup.domain.BackupId;
import io.pgops.backup.domain.CatalogueEntry;
import io.pgops.backup.domain.Compression;
import io.pgops.backup.domain.RepositoryLayout;
import io.pgops.backup.domain.Verification;
import io.pgops.backup.service.BackupEngine;
import io.pgops.backup.service.Source;
import io.pgops.backup.service.Verifier;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.pgtools.OsUser;
import io.pgops.pgtools.PgBinaries;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.postgres.PgTopology;
import io.pgops.stack.testkit.TestStack;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine on real PostgreSQL and its real tools, without the service: a backup of the test cluster's primary
 * with rows in a table verifies and restores with the same row count; a flipped byte fails verification naming
 * the file. The figures are printed for the report.
 */
class BackupEngineIT {
    static final ClusterId CLUSTER = ClusterId.of("engine");
    static final int ROWS = 50_000;
    static PgNode primary;
    static BackupEngine engine;

    @BeforeAll
    static void rowsInATable() {
        TestStack stack = TestStack.get();
        primary = stack.cluster().getFirst();
        primary.sql("DROP TABLE IF EXISTS engine_rows; CREATE TABLE engine_rows (id int PRIMARY KEY, note text);"
                + " INSERT INTO engine_rows SELECT g, md5(g::text) FROM generate_series(1, " + ROWS + ") g");
        engine = new BackupEngine(
                PgBinaries.locate(),
                OsUser.forPostgres(),
                new RepositoryLayout(stack.dir().resolve("engine-repo")),
                Duration.ofMinutes(5));
    }

    private static Source source() {
        TestStack stack = TestStack.get();
        return new Source(
                CLUSTER,
                NodeName.of(primary.name()),
                "127.0.0.1",
                primary.port(),
                PgTopology.REPLICATION_USER,
                stack.secrets().password(PgTopology.REPLICATION_USER));
    }

    private static CatalogueEntry take(Compression c) throws Exception {
        Source s = source();
        return engine.take(s, BackupId.at(Instant.now(), s.node()), c, true, engine.identify(s));
    }

    @Test
    void aBackupOfThePrimaryVerifiesAndItsRestoreDrillCountsTheSameRows() throws Exception {
        CatalogueEntry e = take(Compression.ZSTD);
        assertEquals("zstd", e.compression());
        assertTrue(
                e.files().contains("base.tar.zst") && e.files().contains("backup_manifest"),
                e.files().toString());
        assertTrue(e.stopLsn().compareTo(e.startLsn()) >= 0);
        assertTrue(engine.catalogue().list(CLUSTER).contains(e), "catalogued");

        Verifier.Outcome o = engine.verify(e, true, PgTopology.REPLICATION_USER);
        assertEquals(Verification.VERIFIED, o.manifest().state(), o.manifest().detail());
        assertEquals(Verification.VERIFIED, o.restore().state(), o.restore().detail());
        assertEquals(
                Long.valueOf(ROWS),
                o.restore().rowCounts().get("postgres.public.engine_rows"),
                o.restore().rowCounts().toString());
        assertEquals(
                Verification.VERIFIED,
                engine.catalogue()
                        .find(CLUSTER, e.id())
                        .orElseThrow()
                        .verification()
                        .state(),
                "the catalogue records the verification");
        System.out.printf(
                "backup figures: %d rows, raw %d bytes, stored %d bytes (%s), backup %.2f s, manifest check %.2f s,"
                        + " restore (unpack + start to first answer) %.2f s%n",
                ROWS,
                e.rawBytes(),
                e.storedBytes(),
                e.compression(),
                e.durationMillis() / 1000.0,
                o.manifest().durationMillis() / 1000.0,
                o.restore().restoreMillis() / 1000.0);
    }

    @Test
    void aFlippedByteInARelationFileFailsVerificationAndNamesThatFile() throws Exception {
        String relation = primary.sql("SELECT pg_relation_filepath('engine_rows')");
        CatalogueEntry e = take(Compression.NONE);
        Path tar = engine.layout().backup(CLUSTER, e.id()).resolve("base.tar");
        flip(tar, dataOffset(tar, relation) + 4000);

        Verification v = engine.verify(e, false, PgTopology.REPLICATION_USER).manifest();
        assertEquals(Verification.FAILED, v.state());
        assertEquals(relation, v.badFile(), v.detail());
        assertTrue(v.detail().contains(relation), v.detail());
    }

    @Test
    void aFlippedByteInACompressedArchiveFailsVerificationAndNamesWhatIsBad() throws Exception {
        CatalogueEntry e = take(Compression.ZSTD);
        Path archive = engine.layout().backup(CLUSTER, e.id()).resolve("base.tar.zst");
        flip(archive, Files.size(archive) / 2);

        Verifier.Outcome o = engine.verify(e, true, PgTopology.REPLICATION_USER);
        assertEquals(Verification.FAILED, o.manifest().state());
        // zstd's checks usually stop the unpacking (the archive is named); a flip that still decodes changes a
        // file inside, which pg_verifybackup names
        assertTrue(o.manifest().badFile() != null, o.manifest().detail());
        System.out.println("flipped byte in base.tar.zst: " + o.manifest().detail());
        assertNull(o.restore(), "no restore drill on a backup that failed its check");
        assertTrue(engine.catalogue()
                .find(CLUSTER, e.id())
                .orElseThrow()
                .verification()
                .failed());
    }

    @Test
    void aStoppedNodeLeavesNothingInTheRepository() throws Exception {
        Source s = source();
        Source nowhere = new Source(CLUSTER, NodeName.of("gone"), "127.0.0.1", 1, s.user(), s.password());
        int before = engine.catalogue().list(CLUSTER).size();
        try {
            engine.identify(nowhere);
            throw new AssertionError("a node that does not listen answered");
        } catch (io.pgops.backup.service.BackupFailure f) {
            assertEquals("start", f.stage());
            assertTrue(f.error().contains("does not answer"), f.error());
        }
        assertEquals(before, engine.catalogue().list(CLUSTER).size());
        try (var dirs = Files.list(engine.layout().cluster(CLUSTER))) {
            assertFalse(dirs.anyMatch(p -> p.getFileName().toString().startsWith(".partial-")), "no partial backup");
        }
    }

    /** Where a member's data begins in an uncompressed tar (GNU/ustar headers of 512 bytes). */
    static long dataOffset(Path tar, String member) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(tar.toFile(), "r")) {
            byte[] header = new byte[512];
            long pos = 0;
            while (pos + 512 <= f.length()) {
                f.seek(pos);
                f.readFully(header);
                String name = new String(header, 0, 100, StandardCharsets.US_ASCII).replace("\0", "");
                if (name.isEmpty()) {
                    break;
                }
                long size = Long.parseLong(
                        new String(header, 124, 12, StandardCharsets.US_ASCII)
                                .replace("\0", "")
                                .strip(),
                        8);
                if (name.equals(member)) {
                    assertTrue(size > 4000, member + " has " + size + " bytes");
                    return pos + 512;
                }
                pos += 512 + (size + 511) / 512 * 512;
            }
        }
        throw new AssertionError(member + " is not in " + tar);
    }

    static void flip(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0xFF);
        }
    }
}
