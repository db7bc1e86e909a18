package io.pgops.backup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgops.backup.service.CatalogueJson;
import io.pgops.pgtools.Cmd;
import io.pgops.pgtools.OsUser;
import io.pgops.pgtools.PgBinaries;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.postgres.PgTopology;
import io.pgops.stack.process.Ports;
import io.pgops.stack.testkit.TestStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/pgops backup take/list/verify/restore --repo DIR --encryption-key …} on a real PostgreSQL backup: stored
 * encrypted (the manifest unreadable in the directory), listed with its key's id, verified and restored (started,
 * every row there) through the staging directory, refused without its key, with another key, and once one byte of the
 * stored data archive is altered.
 */
class EncryptedFilesystemRepositoryIT {
    static final int ROWS = 5_000;
    static final List<Path> started = new ArrayList<>();

    @AfterAll
    static void stopEverythingStarted() {
        for (Path dir : started) {
            Cmd.of(PgBinaries.locate().tool("pg_ctl"), "-D", dir.toString(), "-m", "immediate", "-w", "stop")
                    .as(OsUser.forPostgres())
                    .timeoutSeconds(60)
                    .tryRun();
        }
    }

    static CliRunner.Run cli(Map<String, String> env, String... args) {
        Path dir = TestStack.get().dir();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(
                "--repo",
                dir.resolve("enc-repo").toString(),
                "--cluster",
                "fsenc",
                "--staging",
                dir.resolve("enc-staging").toString()));
        return CliRunner.run(env, all.toArray(String[]::new));
    }

    @Test
    void anEncryptedFilesystemBackupRestoresOnlyWithItsKeyAndAnAlteredByteIsRefused() throws Exception {
        TestStack stack = TestStack.get();
        PgNode primary = stack.cluster().getFirst();
        primary.sql("DROP TABLE IF EXISTS enc_rows; CREATE TABLE enc_rows (id int PRIMARY KEY, note text);"
                + " INSERT INTO enc_rows SELECT g, md5(g::text) FROM generate_series(1, " + ROWS + ") g");
        Map<String, String> env = new HashMap<>();
        env.put("PGPASSWORD", stack.secrets().password(PgTopology.REPLICATION_USER));
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        String keyB64 = Base64.getEncoder().encodeToString(k);
        env.put("PGOPS_BACKUP_KEY", keyB64);
        k[0] ^= 1;
        env.put("OTHER_KEY", Base64.getEncoder().encodeToString(k));

        long t0 = System.nanoTime();
        CliRunner.Run take = cli(
                env,
                "take",
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(primary.port()),
                "--user",
                PgTopology.REPLICATION_USER,
                "--fast-checkpoint",
                "--encryption-key",
                "env:PGOPS_BACKUP_KEY");
        double takeSeconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, take.exitCode(), take.err());
        JsonNode taken = CatalogueJson.MAPPER.readTree(take.lastLine());
        String id = taken.get("id").asText();
        String keyId = taken.get("encryptionKeyId").asText();
        assertEquals(16, keyId.length(), taken.toString());
        assertFalse((take.out() + take.err()).contains(keyB64), "the key is never printed");
        Path stored = stack.dir().resolve("enc-repo/fsenc").resolve(id);
        assertFalse(
                Files.readString(stored.resolve("backup_manifest"), StandardCharsets.ISO_8859_1)
                        .contains("PostgreSQL-Backup-Manifest"),
                "the manifest in the repository is not readable without the key");
        assertTrue(isEmptyOrAbsent(stack.dir().resolve("enc-staging/fsenc")), "no plain copy left in staging");

        CliRunner.Run list = cli(Map.of(), "list");
        assertEquals(0, list.exitCode(), list.err());
        assertEquals(
                keyId,
                CatalogueJson.MAPPER
                        .readTree(list.lastLine())
                        .get("encryptionKeyId")
                        .asText());

        CliRunner.Run verify = cli(env, "verify", "--encryption-key", "env:PGOPS_BACKUP_KEY");
        assertEquals(0, verify.exitCode(), verify.err());
        assertEquals(
                "verified",
                CatalogueJson.MAPPER.readTree(verify.lastLine()).get("result").asText(),
                verify.out());

        CliRunner.Run wrong = cli(
                env,
                "restore",
                "--to",
                stack.dir().resolve("enc-wrong-key").toString(),
                "--encryption-key",
                "env:OTHER_KEY");
        assertEquals(1, wrong.exitCode(), wrong.err());
        assertTrue(wrong.err().contains("encrypted with the key of id " + keyId), wrong.err());
        CliRunner.Run none =
                cli(env, "restore", "--to", stack.dir().resolve("enc-no-key").toString());
        assertEquals(1, none.exitCode(), none.err());
        assertTrue(none.err().contains("give that key"), none.err());

        Path to = stack.dir().resolve("enc-restored");
        int port = Ports.free();
        started.add(to);
        long t1 = System.nanoTime();
        CliRunner.Run restore = cli(
                env,
                "restore",
                "--to",
                to.toString(),
                "--start",
                "--port",
                Integer.toString(port),
                "--encryption-key",
                "env:PGOPS_BACKUP_KEY");
        double restoreSeconds = (System.nanoTime() - t1) / 1e9;
        assertEquals(0, restore.exitCode(), restore.err());
        assertEquals(Integer.toString(ROWS), count(to, port), "the decrypted backup restores with every row");

        Path data = Files.list(stored)
                .filter(p -> p.getFileName().toString().startsWith("base.tar"))
                .findFirst()
                .orElseThrow();
        byte[] bytes = Files.readAllBytes(data);
        bytes[bytes.length / 3] ^= 0x01;
        Files.write(data, bytes);
        Path refused = stack.dir().resolve("enc-tampered");
        CliRunner.Run altered =
                cli(env, "restore", "--to", refused.toString(), "--encryption-key", "env:PGOPS_BACKUP_KEY");
        assertEquals(1, altered.exitCode(), altered.err());
        assertTrue(altered.err().contains("does not authenticate"), altered.err());
        assertTrue(isEmptyOrAbsent(refused), "nothing restored from an altered backup");
        CliRunner.Run verifyAltered = cli(env, "verify", "--encryption-key", "env:PGOPS_BACKUP_KEY");
        assertEquals(1, verifyAltered.exitCode(), verifyAltered.err());
        System.out.printf(
                "encrypted filesystem figures: take+verify+encrypt %.2f s (%d stored bytes), restore+start %.2f s%n",
                takeSeconds, taken.get("storedBytes").asLong(), restoreSeconds);
    }

    static boolean isEmptyOrAbsent(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return true;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.noneMatch(p -> !p.getFileName().toString().startsWith("."));
        }
    }

    static String count(Path dataDir, int port) {
        return io.pgops.backup.it.RestoredServer.query(dataDir, port, "SELECT count(*) FROM enc_rows");
    }
}
