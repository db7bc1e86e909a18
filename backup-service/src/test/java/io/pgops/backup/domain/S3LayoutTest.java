package io.pgops.backup.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.model.ClusterId;
import java.util.List;
import org.junit.jupiter.api.Test;

class S3LayoutTest {
    static final ClusterId C = ClusterId.of("main");
    static final BackupId A = BackupId.of("20261207T010000000Z-node1");
    static final BackupId B = BackupId.of("20261207T020000000Z-node2");
    final S3Layout layout = new S3Layout(S3Location.parse("s3://pgops-backups/prod/eu"));

    @Test
    void aBackupsObjectsLieUnderPrefixClusterAndId() {
        assertEquals("prod/eu/main/20261207T010000000Z-node1/base.tar.zst", layout.object(C, A, "base.tar.zst"));
        assertEquals("prod/eu/main/20261207T010000000Z-node1/backup.json", layout.catalogue(C, A));
        assertEquals("main/", new S3Layout(S3Location.parse("s3://pgops-backups")).cluster(C));
    }

    @Test
    void aBackupIsCompleteOnlyWhenItsCatalogueObjectExists() {
        List<String> keys = List.of(
                layout.object(C, A, "base.tar.zst"),
                layout.object(C, A, "backup_manifest"),
                layout.catalogue(C, A),
                layout.object(C, B, "base.tar.zst"),
                layout.object(C, B, "backup_manifest"));
        assertEquals(List.of(A), layout.complete(C, keys));
        assertEquals(List.of(B), layout.unfinished(C, keys));
    }

    @Test
    void aCatalogueObjectAloneInAnotherClusterOrDeeperCountsForNothing() {
        List<String> keys = List.of(
                "prod/eu/other/20261207T010000000Z-node1/backup.json",
                "prod/eu/main/20261207T010000000Z-node1/sub/backup.json",
                "prod/eu/main/.partial-20261207T010000000Z-node1/backup.json",
                "prod/eu/main/wal/backup.json");
        assertEquals(List.of(), layout.complete(C, keys));
    }

    @Test
    void aCommonPrefixNamesItsCluster() {
        assertEquals(C, layout.clusterOf("prod/eu/main/"));
        assertNull(layout.clusterOf("prod/eu/Not A Cluster/"));
        assertNull(layout.clusterOf("elsewhere/main/"));
    }

    @Test
    void refusesAFileNameThatWouldLeaveTheBackupsPrefix() {
        assertThrows(IllegalArgumentException.class, () -> layout.object(C, A, "../x"));
        assertThrows(IllegalArgumentException.class, () -> layout.object(C, A, ".hidden"));
    }

    @Test
    void parsesBucketAndPrefixAndRefusesWhatIsNotAnS3Address() {
        S3Location l = S3Location.parse("s3://bucket-1/a/b/");
        assertEquals("bucket-1", l.bucket());
        assertEquals("a/b", l.prefix());
        assertEquals("s3://bucket-1/a/b", l.toString());
        assertTrue(S3Location.isS3("s3://x"));
        assertThrows(IllegalArgumentException.class, () -> S3Location.parse("/var/backups"));
        assertThrows(IllegalArgumentException.class, () -> S3Location.parse("s3://Bad_Bucket/x"));
        assertThrows(IllegalArgumentException.class, () -> S3Location.parse("s3://bucket/a/../b"));
    }

    @Test
    void theWalCopyLiesBesideTheBackupsAndIsNeverTakenForOne() {
        assertEquals(
                "prod/eu/main/wal/000000010000000000000003.lz4", layout.walObject(C, "000000010000000000000003.lz4"));
        assertEquals("prod/eu/main/wal/00000002.history.gcm", layout.walObject(C, "00000002.history.gcm"));
        assertNull(layout.backupIn(C, "prod/eu/main/wal/"));
        assertEquals(A, layout.backupIn(C, "prod/eu/main/20261207T010000000Z-node1/"));
        List<String> keys = List.of(layout.walObject(C, "000000010000000000000003.lz4"), layout.catalogue(C, A));
        assertEquals(List.of(A), layout.complete(C, keys));
        assertEquals(List.of(), layout.unfinished(C, keys));
    }

    @Test
    void aNameThatIsNoWalFileIsRefusedAsAWalObject() {
        for (String bad : List.of("../x", "000000010000000000000003.partial", "pg_receivewal.log", "backup.json", "")) {
            assertThrows(IllegalArgumentException.class, () -> layout.walObject(C, bad), bad);
        }
    }
}
