package io.pgops.backup.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.backup.service.ChunkedGcm;
import io.pgops.backup.service.EncryptionKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupCliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new BackupCli(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        Map.of())
                .run(List.of(args));
    }

    @Test
    void aPasswordOnTheCommandLineIsRefused() {
        assertEquals(
                2, run("take", "--host", "h", "--port", "5432", "--user", "u", "--repo", "/x", "--password=s3cret"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("never taken on the command line"));
        assertTrue(!err.toString(StandardCharsets.UTF_8).contains("s3cret"));
    }

    @Test
    void missingOptionsAreUsageErrors() {
        assertEquals(2, run("take", "--host", "h"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--port is required"));
        assertEquals(2, run("frobnicate"));
    }

    @Test
    void anS3RepositoryThatIsNoAddressOrAKeyThatCannotBeReadAreUsageErrors() {
        assertEquals(2, run("list", "--repo", "s3://Not_A_Bucket/x"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("not an S3 bucket name"));
        err.reset();
        assertEquals(2, run("list", "--repo", "/nonexistent/repo", "--encryption-key", "env:K"));
        assertTrue(err.toString(StandardCharsets.UTF_8)
                .contains("--encryption-key: the environment variable K holds no encryption key"));
        assertTrue(!java.nio.file.Files.exists(java.nio.file.Path.of("/nonexistent")), "nothing written");
        err.reset();
        assertEquals(2, run("wal-check", "--repo", "s3://bucket/x"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("wal-check reads a filesystem repository"));
    }

    @Test
    void optionsTakeTheirValueAfterASpaceOrAnEqualsSign() {
        assertEquals(
                Map.of("repo", "/r", "compress", "lz4", "drill", "true"),
                BackupCli.options(List.of("--repo=/r", "--compress", "lz4", "--drill")));
    }

    @Test
    void aRestoreWithoutItsDataDirectoryOrWithTwoTargetsIsAUsageErrorBeforeAnythingIsWritten() {
        assertEquals(2, run("restore", "--repo", "/nonexistent/repo"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--to is required"));
        err.reset();
        assertEquals(
                2,
                run(
                        "restore",
                        "--repo",
                        "/nonexistent/repo",
                        "--to",
                        "/nonexistent/pgdata",
                        "--target-lsn",
                        "0/3000000",
                        "--target-xid",
                        "742"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("one recovery target"));
        err.reset();
        assertEquals(
                2,
                run("restore", "--repo", "/nonexistent/repo", "--to", "/nonexistent/pgdata", "--target-time", "noon"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("with its zone"));
        assertEquals(2, run("restore", "--repo", "/nonexistent/repo", "--to", "/nonexistent/pgdata", "--start"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--start needs --port"));
        assertTrue(!java.nio.file.Files.exists(java.nio.file.Path.of("/nonexistent")), "nothing written");
    }

    @Test
    void decryptGivesThePlainFileBackWithItsKeyAndNothingWithAnotherOrAnAlteredByte(@TempDir Path dir)
            throws Exception {
        Path a = key(dir, "a.key");
        Path b = key(dir, "b.key");
        byte[] plain = "PGDMP a logical dump\n".repeat(100_000).getBytes(StandardCharsets.UTF_8);
        Path enc = dir.resolve("full.dump");
        try (var o = Files.newOutputStream(enc)) {
            ChunkedGcm.encrypt(
                    new java.io.ByteArrayInputStream(plain),
                    o,
                    EncryptionKey.fromReference("file:" + a, Map.of()),
                    ChunkedGcm.DEFAULT_CHUNK);
        }
        Path back = dir.resolve("plain.dump");
        assertEquals(0, decrypt(enc, back, a), err.toString(StandardCharsets.UTF_8));
        assertArrayEquals(plain, Files.readAllBytes(back));
        assertEquals(
                "rw-------",
                java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(back)));
        assertEquals(2, decrypt(enc, back, a), "never over an existing file");

        Path wrong = dir.resolve("wrong.dump");
        assertEquals(1, decrypt(enc, wrong, b));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("encrypted with the key of id"), err.toString());
        assertFalse(Files.exists(wrong), "no output from a wrong key");

        byte[] altered = Files.readAllBytes(enc);
        altered[altered.length / 2] ^= 0x01;
        Files.write(enc, altered);
        assertEquals(1, decrypt(enc, wrong, a));
        assertFalse(Files.exists(wrong), "no output from an altered file");
        assertEquals(2, run("decrypt", "--in", enc.toString(), "--out", wrong.toString()), "the key is required");
    }

    private int decrypt(Path in, Path out, Path key) {
        return run("decrypt", "--in", in.toString(), "--out", out.toString(), "--encryption-key", "file:" + key);
    }

    /** A random 32-byte key in a file of {@code dir}. */
    private static Path key(Path dir, String name) throws java.io.IOException {
        byte[] raw = new byte[32];
        new java.security.SecureRandom().nextBytes(raw);
        return Files.write(dir.resolve(name), raw);
    }

    @Test
    void compressWorkersThatAreNoPositiveNumberAreAUsageError() {
        for (String n : List.of("0", "-1", "two", "1000")) {
            assertEquals(2, run("list", "--repo", "/nonexistent/repo", "--compress-workers", n), n);
        }
    }

    @Test
    void aWalSegmentSizeThatIsNoPowerOfTwoIsAUsageError() {
        assertEquals(2, run("wal-check", "--repo", "/nonexistent/repo", "--wal-segment-size", "1000"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("power of two"));
    }
}
