package io.pgops.backup.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.backup.domain.CatalogueEntry;
import io.pgops.backup.domain.RepositoryLayout;
import io.pgops.backup.domain.S3Layout;
import io.pgops.events.model.ClusterId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S3 repository's catalogue and encryption over a directory ({@link DirectoryStore}): what the filesystem
 * repository with {@code --encryption-key} stores.
 */
class EncryptedDirectoryRepositoryTest {
    @TempDir
    Path tmp;

    private static final ClusterId CLUSTER = ClusterId.of("main");

    private static EncryptionKey key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return new EncryptionKey(k);
    }

    private S3Repository repo(Path root, Optional<EncryptionKey> key) {
        return new S3Repository(S3Layout.directory(), new DirectoryStore(root), key, root.toString());
    }

    /** A local backup directory whose three files hold recognisable bytes (2.5 MiB of data archive). */
    private Path local(CatalogueEntry e) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("staging").resolve(e.id().value()));
        Files.writeString(dir.resolve("backup_manifest"), "{\"PostgreSQL-Backup-Manifest-Version\": 1}");
        byte[] data = new byte[5 * 512 * 1024];
        new SecureRandom().nextBytes(data);
        Files.write(dir.resolve("base.tar.zst"), data);
        Files.writeString(dir.resolve("pg_wal.tar"), "wal ".repeat(1000));
        return dir;
    }

    @Test
    void anEncryptedBackupIsStoredUnreadableListedWithItsKeyIdAndRoundTripsWithTheKey() throws Exception {
        Path root = tmp.resolve("repo");
        EncryptionKey key = key();
        CatalogueEntry e = CatalogueTest.entry(CLUSTER, "20261206T041500123Z-node2");
        Path dir = local(e);

        CatalogueEntry stored = repo(root, Optional.of(key)).upload(dir, e);
        assertEquals(key.id(), stored.encryptionKeyId());
        Path inRepo = new RepositoryLayout(root).backup(CLUSTER, e.id());
        assertFalse(
                Files.readString(inRepo.resolve("backup_manifest"), java.nio.charset.StandardCharsets.ISO_8859_1)
                        .contains("PostgreSQL-Backup-Manifest"),
                "the manifest is stored encrypted");
        // the filesystem catalogue (retention, metrics, list) sees it as any backup, with the key's id
        assertEquals(List.of(stored), new Catalogue(new RepositoryLayout(root)).list(CLUSTER));
        assertEquals(List.of(stored), repo(root, Optional.empty()).list(CLUSTER));

        Path back = tmp.resolve("back");
        repo(root, Optional.of(key)).download(stored, back);
        for (String f : e.files()) {
            assertArrayEquals(Files.readAllBytes(dir.resolve(f)), Files.readAllBytes(back.resolve(f)), f);
        }
    }

    @Test
    void aWrongKeyOrNoKeyIsRefusedWithTheIdOfTheKeyNeeded() throws Exception {
        Path root = tmp.resolve("repo");
        EncryptionKey key = key();
        CatalogueEntry e = CatalogueTest.entry(CLUSTER, "20261206T041500123Z-node2");
        CatalogueEntry stored = repo(root, Optional.of(key)).upload(local(e), e);

        ChunkedGcm.Refused wrong = assertThrows(
                ChunkedGcm.Refused.class, () -> repo(root, Optional.of(key())).download(stored, tmp.resolve("w")));
        assertTrue(wrong.getMessage().contains("encrypted with the key of id " + key.id()), wrong.getMessage());
        ChunkedGcm.Refused none = assertThrows(
                ChunkedGcm.Refused.class, () -> repo(root, Optional.empty()).download(stored, tmp.resolve("n")));
        assertTrue(none.getMessage().contains("give that key"), none.getMessage());
    }

    @Test
    void anAlteredByteIsRefusedAndNothingOfTheFileAppears() throws Exception {
        Path root = tmp.resolve("repo");
        EncryptionKey key = key();
        CatalogueEntry e = CatalogueTest.entry(CLUSTER, "20261206T041500123Z-node2");
        CatalogueEntry stored = repo(root, Optional.of(key)).upload(local(e), e);
        Path data = new RepositoryLayout(root).backup(CLUSTER, e.id()).resolve("base.tar.zst");
        byte[] bytes = Files.readAllBytes(data);
        bytes[bytes.length / 3] ^= 0x01;
        Files.write(data, bytes);

        Path back = tmp.resolve("back");
        ChunkedGcm.Refused altered = assertThrows(
                ChunkedGcm.Refused.class, () -> repo(root, Optional.of(key)).download(stored, back));
        assertTrue(altered.getMessage().contains("base.tar.zst"), altered.getMessage());
        assertFalse(Files.exists(back.resolve("base.tar.zst")), "no half-decrypted data archive");
    }

    @Test
    void theDirectoryStoreListsNoHiddenNameAndKeepsKeysInside() throws Exception {
        Path root = tmp.resolve("store");
        DirectoryStore store = new DirectoryStore(root);
        store.putBytes("main/20261206T041500123Z-node2/backup.json", new byte[] {1});
        Files.createDirectories(root.resolve("main/.partial-x"));
        Files.write(root.resolve("main/.partial-x/backup.json"), new byte[] {2});
        Files.write(root.resolve("main/.hidden"), new byte[] {3});
        assertEquals(List.of("main/20261206T041500123Z-node2/backup.json"), store.keys("main/"));
        assertEquals(List.of("main/"), store.children(""));
        assertEquals(null, store.getBytes("main/none"));
        assertThrows(IllegalArgumentException.class, () -> store.getBytes("../outside"));
        assertEquals(
                "rw-------",
                java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(root.resolve("main/20261206T041500123Z-node2/backup.json"))));
    }

    @Test
    void theStagingDirectoryMustLieOutsideTheRepository() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> S3Backups.directory(
                        null, null, tmp.resolve("repo"), tmp.resolve("repo/.staging"), null, Optional.of(key())));
        assertTrue(e.getMessage().contains("must lie outside the repository"), e.getMessage());
    }
}
