package io.pgops.backup.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.backup.domain.BackupId;
import io.pgops.backup.domain.CatalogueEntry;
import io.pgops.backup.domain.S3Layout;
import io.pgops.backup.domain.S3Location;
import io.pgops.backup.domain.Verification;
import io.pgops.backup.service.ChunkedGcm;
import io.pgops.backup.service.EncryptionKey;
import io.pgops.backup.service.S3Repository;
import io.pgops.backup.service.S3Settings;
import io.pgops.backup.service.S3Store;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Timeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The S3 repository against a real s3proxy (filesystem backend): no PostgreSQL, only objects. */
class S3RepositoryIT {
    static final ClusterId C = ClusterId.of("repo");
    static S3Proxy proxy;
    static S3Store store;
    static S3Repository repo;

    @BeforeAll
    static void startS3proxy(@TempDir Path dir) throws Exception {
        proxy = S3Proxy.start(dir);
        S3Location where = S3Location.parse("s3://pgops-test/unit");
        store = proxy.bucket(where, S3Settings.MIN_PART, 3);
        repo = new S3Repository(new S3Layout(where), store, Optional.empty());
    }

    @AfterAll
    static void stop() {
        if (store != null) {
            store.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    static CatalogueEntry entry(BackupId id, List<String> files) {
        Instant t = Instant.parse("2026-12-07T01:00:00Z");
        return new CatalogueEntry(
                id,
                C,
                NodeName.of("node1"),
                "127.0.0.1:5432",
                Lsn.parse("0/2000028"),
                Lsn.parse("0/2000100"),
                Timeline.of(1),
                100,
                100,
                10,
                "zstd",
                "server-side",
                files,
                t,
                t,
                Verification.none());
    }

    @Test
    void aBackupWhoseCatalogueObjectIsMissingIsNotListedAndOnceUploadedItIsAndReadsBackByteForByte(@TempDir Path dir)
            throws Exception {
        byte[] big = new byte[(int) (S3Settings.MIN_PART * 2 + 12345)]; // three parts, sent in parallel
        new Random(7).nextBytes(big);
        Files.write(dir.resolve("base.tar.zst"), big);
        Files.writeString(dir.resolve("backup_manifest"), "{}");
        BackupId id = BackupId.of("20261207T010000000Z-node1");
        CatalogueEntry e = entry(id, List.of("backup_manifest", "base.tar.zst"));

        // what an upload that died before its last step leaves: the files, no catalogue object
        S3Layout layout = repo.layout();
        store.upload(dir.resolve("base.tar.zst"), layout.object(C, id, "base.tar.zst"));
        assertEquals(List.of(), repo.list(C), "objects without backup.json are no backup");
        assertEquals(List.of(id), repo.unfinished(C));

        repo.upload(dir, e);
        assertEquals(List.of(id), repo.list(C).stream().map(CatalogueEntry::id).toList());
        assertEquals(List.of(), repo.unfinished(C));
        assertTrue(repo.listAll().stream().anyMatch(x -> x.id().equals(id)));
        assertEquals(e.files(), repo.find(C, id).orElseThrow().files());

        Path back = dir.resolve("back");
        repo.download(e, back);
        assertArrayEquals(big, Files.readAllBytes(back.resolve("base.tar.zst")));
        assertTrue(Files.isRegularFile(back.resolve(CatalogueEntry.FILE)));
    }

    @Test
    void anUpdatedVerificationIsWhatTheCatalogueReadsNext(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("backup_manifest"), "{}");
        BackupId id = BackupId.of("20261207T020000000Z-node1");
        CatalogueEntry e = entry(id, List.of("backup_manifest"));
        repo.upload(dir, e);
        assertFalse(repo.find(C, id).orElseThrow().verification().failed());
        repo.update(e.withVerification(new Verification(
                Verification.FAILED, "manifest", "bad", "base.tar.zst", 0, 0, 0, null, Instant.now())));
        assertTrue(repo.find(C, id).orElseThrow().verification().failed());
    }

    @Test
    void anEncryptedBackupReadsBackOnlyWithItsKeyAndUnaltered(@TempDir Path dir) throws Exception {
        EncryptionKey a = key(1);
        EncryptionKey b = key(2);
        S3Layout layout = repo.layout();
        S3Repository withA = new S3Repository(layout, store, Optional.of(a));
        byte[] big = new byte[(int) (S3Settings.MIN_PART + 4321)];
        new Random(11).nextBytes(big);
        Files.write(dir.resolve("base.tar.zst"), big);
        BackupId id = BackupId.of("20261207T030000000Z-node1");
        CatalogueEntry stored = withA.upload(dir, entry(id, List.of("base.tar.zst")));
        assertEquals(a.id(), stored.encryptionKeyId());
        assertEquals(a.id(), repo.find(C, id).orElseThrow().encryptionKeyId(), "the key's id is in the catalogue");
        byte[] object = store.getBytes(layout.object(C, id, "base.tar.zst"));
        assertFalse(java.util.Arrays.equals(big, 0, 4096, object, 28, 28 + 4096), "the object is not the plaintext");

        withA.download(stored, dir.resolve("ok"));
        assertArrayEquals(big, Files.readAllBytes(dir.resolve("ok").resolve("base.tar.zst")));

        var wrong = assertThrows(
                ChunkedGcm.Refused.class,
                () -> new S3Repository(layout, store, Optional.of(b)).download(stored, dir.resolve("b")));
        assertTrue(wrong.getMessage().contains(a.id()) && wrong.getMessage().contains(b.id()), wrong.getMessage());
        assertThrows(ChunkedGcm.Refused.class, () -> repo.download(stored, dir.resolve("none")));

        object[object.length / 2] ^= 1;
        store.putBytes(layout.object(C, id, "base.tar.zst"), object);
        var tampered = assertThrows(ChunkedGcm.Refused.class, () -> withA.download(stored, dir.resolve("bad")));
        assertTrue(tampered.getMessage().contains("does not authenticate"), tampered.getMessage());
        assertFalse(Files.exists(dir.resolve("bad").resolve("base.tar.zst")), "no altered file appears");
    }

    static EncryptionKey key(int seed) {
        byte[] k = new byte[32];
        new Random(seed).nextBytes(k);
        return EncryptionKey.fromReference(
                "env:K", Map.of("K", Base64.getEncoder().encodeToString(k)));
    }

    @Test
    void theCredentialsTextNeverShowsTheSecret() {
        String text = proxy.settings(S3Settings.DEFAULT_PART, 1)
                .credentials(proxy.env())
                .toString();
        assertFalse(text.contains(S3Proxy.SECRET_KEY), text);
    }
}
