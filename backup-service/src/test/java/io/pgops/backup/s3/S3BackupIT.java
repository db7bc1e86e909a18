package io.pgops.backup.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgops.backup.cli.CliRunner;
import io.pgops.backup.domain.CatalogueEntry;
import io.pgops.backup.domain.S3Location;
import io.pgops.backup.service.CatalogueJson;
import io.pgops.backup.service.S3Store;
import io.pgops.pgtools.Cmd;
import io.pgops.pgtools.OsUser;
import io.pgops.pgtools.PgBinaries;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.postgres.PgTopology;
import io.pgops.stack.process.Ports;
import io.pgops.stack.testkit.TestStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/pgops backup} with {@code --repo s3://…} against a real S3-compatible server (s3proxy on its
 * filesystem backend) and the test kit's real PostgreSQL: a backup taken into the bucket with multipart uploads,
 * listed from the bucket, verified (downloaded, pg_verifybackup and the restore drill) and restored into a new
 * data directory that holds the rows.
 */
class S3BackupIT {
    static final int ROWS = 20_000;
    static final String REPO = "s3://pgops-it/nightly";
    static S3Proxy proxy;
    static S3Store store;
    static final List<Path> started = new ArrayList<>();

    @BeforeAll
    static void startS3proxyAndFillATable() throws Exception {
        TestStack stack = TestStack.get();
        proxy = S3Proxy.start(Files.createDirectories(stack.dir().resolve("s3proxy-it")));
        store = proxy.bucket(S3Location.parse(REPO), 5L * 1024 * 1024, 3);
        stack.cluster()
                .getFirst()
                .sql("DROP TABLE IF EXISTS s3_rows; CREATE TABLE s3_rows (id int PRIMARY KEY, note text);"
                        + " INSERT INTO s3_rows SELECT g, md5(g::text) FROM generate_series(1, " + ROWS + ") g");
    }

    @AfterAll
    static void stopEverythingStarted() {
        for (Path dir : started) {
            Cmd.of(PgBinaries.locate().tool("pg_ctl"), "-D", dir.toString(), "-m", "immediate", "-w", "stop")
                    .as(OsUser.forPostgres())
                    .timeoutSeconds(60)
                    .tryRun();
        }
        if (store != null) {
            store.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    static CliRunner.Run cli(Map<String, String> env, String... args) {
        return cliOf("s3it", env, args);
    }

    static CliRunner.Run cliOf(String cluster, Map<String, String> env, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(
                "--repo", REPO, "--cluster", cluster, "--staging", staging().toString()));
        all.addAll(proxy.cliOptions());
        return CliRunner.run(env, all.toArray(String[]::new));
    }

    static Path staging() {
        return TestStack.get().dir().resolve("s3-staging");
    }

    @Test
    void aBackupTakenIntoS3IsListedVerifiedAndRestoredFromThere() throws Exception {
        TestStack stack = TestStack.get();
        PgNode primary = stack.cluster().getFirst();
        Map<String, String> env = new HashMap<>(proxy.env());
        env.put("PGPASSWORD", stack.secrets().password(PgTopology.REPLICATION_USER));

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
                "--s3-part-size-mib",
                "5",
                "--s3-parallel",
                "3");
        double takeSeconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, take.exitCode(), take.err());
        JsonNode taken = CatalogueJson.MAPPER.readTree(take.lastLine());
        String id = taken.get("id").asText();
        assertEquals("verified", taken.get("verification").asText(), "verified in staging before the upload");
        assertFalse(take.err().contains(S3Proxy.SECRET_KEY) || take.out().contains(S3Proxy.SECRET_KEY));
        assertFalse(take.err().contains(env.get("PGPASSWORD")));

        List<String> keys = store.keys("nightly/s3it/" + id + "/");
        assertTrue(
                keys.containsAll(List.of(
                        "nightly/s3it/" + id + "/backup_manifest",
                        "nightly/s3it/" + id + "/pg_wal.tar.zst",
                        "nightly/s3it/" + id + "/" + CatalogueEntry.FILE)),
                keys.toString());
        assertTrue(isEmptyOrAbsent(staging().resolve("s3it")), "nothing of the backup stays in the staging directory");

        CliRunner.Run list = cli(proxy.env(), "list");
        assertEquals(0, list.exitCode(), list.err());
        assertEquals(
                id, CatalogueJson.MAPPER.readTree(list.lastLine()).get("id").asText());

        long t1 = System.nanoTime();
        CliRunner.Run verify = cli(env, "verify", "--id", id, "--drill", "--user", PgTopology.REPLICATION_USER);
        double verifySeconds = (System.nanoTime() - t1) / 1e9;
        assertEquals(0, verify.exitCode(), verify.err());
        JsonNode verified = CatalogueJson.MAPPER.readTree(verify.lastLine());
        assertEquals("verified", verified.get("result").asText(), verified.toString());
        assertEquals("restore", verified.get("verificationMethod").asText());
        assertEquals(
                "restore",
                CatalogueJson.MAPPER
                        .readTree(cli(env, "list").lastLine())
                        .get("verificationMethod")
                        .asText(),
                "the drill's word is recorded in the bucket's catalogue object");

        Path to = stack.dir().resolve("s3-restored");
        int port = Ports.free();
        started.add(to);
        long t2 = System.nanoTime();
        CliRunner.Run restore = cli(env, "restore", "--to", to.toString(), "--start", "--port", Integer.toString(port));
        double restoreSeconds = (System.nanoTime() - t2) / 1e9;
        assertEquals(0, restore.exitCode(), restore.err());
        JsonNode restored = CatalogueJson.MAPPER.readTree(restore.lastLine());
        assertEquals("restored", restored.get("result").asText(), restored.toString());
        assertEquals(id, restored.get("backup").asText());
        assertEquals(Integer.toString(ROWS), count(to, port), "the restored copy holds every row");
        assertTrue(isEmptyOrAbsent(staging().resolve("s3it")), "the downloaded copy was removed");
        System.out.printf(
                "s3 figures: take+verify+upload %.2f s (%d stored bytes), verify with drill %.2f s, restore %.2f s%n",
                takeSeconds, taken.get("storedBytes").asLong(), verifySeconds, restoreSeconds);
    }

    @Test
    void anEncryptedBackupRestoresOnlyWithItsKeyAndAnAlteredObjectIsRefused() throws Exception {
        TestStack stack = TestStack.get();
        PgNode primary = stack.cluster().getFirst();
        Map<String, String> env = new HashMap<>(proxy.env());
        env.put("PGPASSWORD", stack.secrets().password(PgTopology.REPLICATION_USER));
        byte[] k = new byte[32];
        new java.security.SecureRandom().nextBytes(k);
        String keyB64 = java.util.Base64.getEncoder().encodeToString(k);
        env.put("PGOPS_BACKUP_KEY", keyB64);
        k[0] ^= 1;
        env.put("OTHER_KEY", java.util.Base64.getEncoder().encodeToString(k));

        CliRunner.Run take = cliOf(
                "s3enc",
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
        assertEquals(0, take.exitCode(), take.err());
        JsonNode taken = CatalogueJson.MAPPER.readTree(take.lastLine());
        String id = taken.get("id").asText();
        String keyId = taken.get("encryptionKeyId").asText();
        assertEquals(16, keyId.length(), taken.toString());
        assertFalse((take.out() + take.err()).contains(keyB64), "the key is never printed");
        byte[] manifest = store.getBytes("nightly/s3enc/" + id + "/backup_manifest");
        assertFalse(
                new String(manifest, java.nio.charset.StandardCharsets.ISO_8859_1)
                        .contains("PostgreSQL-Backup-Manifest"),
                "the manifest in the bucket is not readable without the key");

        CliRunner.Run wrong = cliOf(
                "s3enc",
                env,
                "restore",
                "--to",
                stack.dir().resolve("s3-wrong-key").toString(),
                "--encryption-key",
                "env:OTHER_KEY");
        assertEquals(1, wrong.exitCode(), wrong.err());
        assertTrue(wrong.err().contains("encrypted with the key of id " + keyId), wrong.err());
        CliRunner.Run none = cliOf(
                "s3enc",
                env,
                "restore",
                "--to",
                stack.dir().resolve("s3-no-key").toString());
        assertEquals(1, none.exitCode(), none.err());
        assertTrue(none.err().contains("give that key"), none.err());

        Path to = stack.dir().resolve("s3-restored-encrypted");
        int port = Ports.free();
        started.add(to);
        CliRunner.Run restore = cliOf(
                "s3enc",
                env,
                "restore",
                "--to",
                to.toString(),
                "--start",
                "--port",
                Integer.toString(port),
                "--encryption-key",
                "env:PGOPS_BACKUP_KEY");
        assertEquals(0, restore.exitCode(), restore.err());
        assertEquals(Integer.toString(ROWS), count(to, port), "the decrypted backup restores with every row");

        String base =
                "nightly/s3enc/" + id + "/" + taken.get("compression").asText().replace("none", "") + "base.tar";
        String dataKey = store.keys("nightly/s3enc/" + id + "/").stream()
                .filter(key -> key.contains("/base.tar"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no data archive under " + base));
        byte[] object = store.getBytes(dataKey);
        object[object.length / 3] ^= 0x01;
        store.putBytes(dataKey, object);
        Path refused = stack.dir().resolve("s3-tampered");
        CliRunner.Run altered =
                cliOf("s3enc", env, "restore", "--to", refused.toString(), "--encryption-key", "env:PGOPS_BACKUP_KEY");
        assertEquals(1, altered.exitCode(), altered.err());
        assertTrue(altered.err().contains("does not authenticate"), altered.err());
        assertTrue(isEmptyOrAbsent(refused), "nothing restored from an altered backup");
        CliRunner.Run verify = cliOf("s3enc", env, "verify", "--encryption-key", "env:PGOPS_BACKUP_KEY");
        assertEquals(1, verify.exitCode(), verify.err());
    }

    @Test
    void withoutCredentialsTheCommandSaysWhereTheyAreExpectedAndExitsTwo() {
        CliRunner.Run list = cli(Map.of(), "list");
        assertEquals(2, list.exitCode(), list.err());
        assertTrue(list.err().contains("AWS_ACCESS_KEY_ID"), list.err());
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
        return io.pgops.backup.it.RestoredServer.query(dataDir, port, "SELECT count(*) FROM s3_rows");
    }
}
