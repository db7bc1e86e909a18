package io.pgops.backup.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.backup.domain.BackupId;
import io.pgops.backup.domain.CatalogueEntry;
import io.pgops.backup.domain.ManifestSummary;
import io.pgops.backup.domain.RepositoryLayout;
import io.pgops.backup.domain.Verification;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Timeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogueTest {
    @TempDir
    Path root;

    @Test
    void theManifestGivesTheLsnRangeTimelineAndRawSize() throws Exception {
        ManifestSummary m = Manifests.parse(CatalogueJson.MAPPER.readTree("""
                {"PostgreSQL-Backup-Manifest-Version": 1,
                 "Files": [
                   {"Path": "backup_label", "Size": 225, "Last-Modified": "2026-12-06 04:15:00 GMT"},
                   {"Path": "base/5/1259", "Size": 8192, "Last-Modified": "2026-12-06 04:15:00 GMT"}],
                 "WAL-Ranges": [{"Timeline": 3, "Start-LSN": "0/2000028", "End-LSN": "0/2000100"}],
                 "Manifest-Checksum": "x"}
                """));
        assertEquals(2, m.fileCount());
        assertEquals(8417, m.fileBytes());
        assertEquals(Lsn.parse("0/2000028"), m.startLsn());
        assertEquals(Lsn.parse("0/2000100"), m.stopLsn());
        assertEquals(Timeline.of(3), m.timeline());
    }

    @Test
    void listingReadsCompleteBackupsBackAndNeverAPartialOne() throws Exception {
        RepositoryLayout layout = new RepositoryLayout(root);
        ClusterId cluster = ClusterId.of("main");
        CatalogueEntry e = entry(cluster, "20261206T041500123Z-node2");
        Files.createDirectories(layout.backup(cluster, e.id()));
        Catalogue.write(layout.backup(cluster, e.id()), e);
        Path partial = layout.partial(cluster, BackupId.of("20261206T041600000Z-node2"));
        Files.createDirectories(partial);
        Catalogue.write(partial, entry(cluster, "20261206T041600000Z-node2"));

        Catalogue catalogue = new Catalogue(layout);
        assertEquals(List.of(e), catalogue.list(cluster));
        assertEquals(List.of(e), catalogue.listAll());

        Verification v = new Verification(
                Verification.VERIFIED,
                "restore",
                "ok",
                null,
                10,
                20,
                15,
                Map.of("postgres.public.t", 3L),
                Instant.parse("2026-12-06T04:16:00Z"));
        catalogue.update(e.withVerification(v));
        assertEquals(v, catalogue.find(cluster, e.id()).orElseThrow().verification());
        assertTrue(Files.readString(layout.backup(cluster, e.id()).resolve("backup.json"))
                .contains("\"id\" : \"20261206T041500123Z-node2\""));
    }

    static CatalogueEntry entry(ClusterId cluster, String id) {
        return new CatalogueEntry(
                BackupId.of(id),
                cluster,
                NodeName.of("node2"),
                "127.0.0.1:5433",
                Lsn.parse("0/2000028"),
                Lsn.parse("0/2000100"),
                Timeline.of(1),
                40_000_000,
                4_000_000,
                1500,
                "zstd",
                "zstd on the server",
                List.of("backup_manifest", "base.tar.zst", "pg_wal.tar"),
                Instant.parse("2026-12-06T04:15:00.123Z"),
                Instant.parse("2026-12-06T04:15:01.623Z"),
                null);
    }
}
