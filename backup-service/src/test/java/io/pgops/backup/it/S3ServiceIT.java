package io.pgops.backup.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.backup.cli.CliRunner;
import io.pgops.backup.domain.S3Location;
import io.pgops.backup.s3.S3Proxy;
import io.pgops.backup.service.S3Store;
import io.pgops.events.EventEnvelope;
import io.pgops.events.Topics;
import io.pgops.events.backup.BackupCompleted;
import io.pgops.events.backup.BackupExpired;
import io.pgops.events.backup.BackupFailed;
import io.pgops.events.backup.BackupVerificationFailed;
import io.pgops.events.backup.BackupVerified;
import io.pgops.stack.auth.Tokens;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.process.Ports;
import io.pgops.stack.testkit.KafkaTap;
import io.pgops.stack.testkit.PgopsTestResource;
import io.pgops.stack.testkit.RestAuth;
import io.pgops.stack.testkit.TestStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The service with its backups in an S3-compatible bucket (a real s3proxy): a requested backup is uploaded and
 * catalogued there, verified and drilled from what the bucket holds, listed and measured from the bucket; the WAL
 * archive is copied there, so the command line restores elsewhere, from the bucket alone, past the backup's end;
 * retention after the next backup deletes the older one's objects and the WAL copies no kept backup needs; a request
 * naming a repository directory is refused.
 */
@QuarkusTest
@QuarkusTestResource(
        value = PgopsTestResource.class,
        initArgs = @ResourceArg(name = "cluster", value = "true"),
        restrictToAnnotatedClass = true)
@QuarkusTestResource(value = S3ServiceIT.Config.class, restrictToAnnotatedClass = true)
class S3ServiceIT {
    static final String LOCATION = "s3://pgops-service/it-prefix";

    /** The service's settings: the bucket on an s3proxy of its own, keep the newest backup only. */
    public static class Config extends BackupItConfig {
        static S3Proxy proxy;

        @Override
        protected String repository() {
            return "s3-service-root"; // the WAL archive and the dumps stay here
        }

        @Override
        protected Map<String, String> extra(TestStack stack) {
            try {
                Path dir = Files.createDirectories(stack.dir().resolve("s3proxy-service-it"));
                proxy = S3Proxy.start(dir);
                proxy.bucket(S3Location.parse(LOCATION), S3StoreSizes.PART, 2).close();
                Path credentials = dir.resolve("s3-credentials.properties");
                Files.writeString(
                        credentials,
                        "access-key-id=" + S3Proxy.ACCESS_KEY + "\nsecret-access-key=" + S3Proxy.SECRET_KEY + "\n");
                Files.setPosixFilePermissions(credentials, PosixFilePermissions.fromString("rw-------"));
                return Map.of(
                        "pgops.backup.s3.location",
                        LOCATION,
                        "pgops.backup.s3.endpoint",
                        proxy.endpoint().toString(),
                        "pgops.backup.s3.path-style",
                        "true",
                        "pgops.backup.s3.credentials-file",
                        credentials.toString(),
                        "pgops.backup.s3.part-size-mib",
                        "5",
                        "pgops.backup.staging",
                        stack.dir().resolve("s3-service-staging").toString(),
                        "pgops.backup.retention.keep-last",
                        "1",
                        "pgops.backup.wal.copy-interval",
                        "1s");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void stop() {
            if (proxy != null) {
                proxy.close();
            }
        }
    }

    /** Sizes for the test's own client. */
    private static final class S3StoreSizes {
        static final long PART = 5L * 1024 * 1024;
    }

    @BeforeEach
    void sendATokenOfOperator() {
        RestAuth.as(Tokens.OPERATOR);
    }

    @AfterEach
    void sendNoToken() {
        RestAuth.anonymous();
    }

    private static List<EventEnvelope> flow(String correlation) {
        return KafkaTap.events(TestStack.get().kafkaBootstrap(), Topics.BACKUP_EVENTS).stream()
                .filter(e -> e.correlationId().equals(correlation))
                .toList();
    }

    private static JsonPath request(String body) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .post("/clusters/it/backups")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath();
    }

    /** Takes a backup and waits for its verification (manifest and restore drill, from the bucket's copy). */
    private static String backedUpAndVerified(String reason, String node) {
        JsonPath accepted =
                request("{\"reason\": \"" + reason + "\", \"node\": \"" + node + "\", \"fastCheckpoint\": true}");
        assertEquals(LOCATION, accepted.getString("repository"));
        String correlation = accepted.getString("correlationId");
        List<EventEnvelope> f = await("BackupCompleted and two verifications under " + correlation)
                .atMost(Deadlines.BACKUP_VERIFIED)
                .until(
                        () -> flow(correlation),
                        l -> l.stream()
                                                .filter(e -> e.data() instanceof BackupVerified)
                                                .count()
                                        >= 2
                                || l.stream()
                                        .anyMatch(e -> e.data() instanceof BackupFailed
                                                || e.data() instanceof BackupVerificationFailed));
        assertFalse(
                f.stream()
                        .anyMatch(
                                e -> e.data() instanceof BackupFailed || e.data() instanceof BackupVerificationFailed),
                f.toString());
        BackupCompleted done = f.stream()
                .map(EventEnvelope::data)
                .filter(BackupCompleted.class::isInstance)
                .map(BackupCompleted.class::cast)
                .findFirst()
                .orElseThrow();
        assertEquals(LOCATION, done.repository());
        assertEquals(accepted.getString("backupId"), done.backupId());
        return correlation + " " + done.backupId();
    }

    private static S3Store client() {
        return new S3Store(S3Location.parse(LOCATION), Config.proxy.settings(S3StoreSizes.PART, 2), Config.proxy.env());
    }

    @Test
    void backupsLiveInTheBucketAreVerifiedFromItAndRetentionDeletesTheirObjects() {
        String first = backedUpAndVerified("into the bucket", "node2").split(" ")[1];
        try (S3Store s3 = client()) {
            List<String> keys = s3.keys("it-prefix/it/" + first + "/");
            assertTrue(keys.contains("it-prefix/it/" + first + "/backup.json"), keys.toString());
            assertTrue(keys.stream().anyMatch(k -> k.endsWith("/base.tar.zst")), keys.toString());
        }
        given().get("/clusters/it/backups")
                .then()
                .statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].id", equalTo(first))
                .body("[0].verification.state", equalTo("verified"));

        // rows written after the backup reach the bucket only through the WAL archive's copy
        PgNode primary = TestStack.get().cluster().getFirst();
        primary.sql("DROP TABLE IF EXISTS s3_wal_rows; CREATE TABLE s3_wal_rows AS"
                + " SELECT g AS id FROM generate_series(1, 300) g");
        String segment =
                primary.sql("SELECT pg_walfile_name(pg_current_wal_lsn())").strip();
        primary.sql("SELECT pg_switch_wal()");
        String walKey = "it-prefix/it/wal/" + segment + ".lz4";
        try (S3Store s3 = client()) {
            await("segment " + segment + " copied into the bucket")
                    .atMost(Deadlines.BACKUP_VERIFIED)
                    .until(() -> s3.keys("it-prefix/it/wal/").contains(walKey));
        }
        given().get("/clusters/it/wal").then().statusCode(200).body("copy.location", equalTo(LOCATION));
        Path restored = TestStack.get().dir().resolve("s3-service-restored");
        int port = Ports.free();
        started.add(restored);
        CliRunner.Run restore = CliRunner.run(
                Config.proxy.env(),
                "restore",
                "--repo",
                LOCATION,
                "--cluster",
                "it",
                "--staging",
                TestStack.get().dir().resolve("s3-service-cli-staging").toString(),
                "--s3-endpoint",
                Config.proxy.endpoint().toString(),
                "--s3-path-style",
                "--to",
                restored.toString(),
                "--start",
                "--port",
                Integer.toString(port));
        assertEquals(0, restore.exitCode(), restore.err());
        assertTrue(restore.err().contains("WAL archive file(s) downloaded from " + LOCATION), restore.err());
        String rows;
        try {
            rows = RestoredServer.query(restored, port, "SELECT count(*) FROM s3_wal_rows");
        } catch (RuntimeException e) {
            rows = e.getMessage();
        }
        assertEquals("300", rows, "the rows written after the backup; the restore said: " + restore.err());

        // from the primary: its fast checkpoint starts the backup after the segment (a standby's restartpoint could
        // lie before it, and that WAL would rightly stay)
        String[] second = backedUpAndVerified("the next one", "node1").split(" ");
        // retention (keep the newest one) runs after the second backup's verification, under its correlation id
        BackupExpired expired = await("the first backup expired")
                .atMost(Deadlines.BACKUP_FAILED)
                .until(
                        () -> flow(second[0]).stream()
                                .map(EventEnvelope::data)
                                .filter(BackupExpired.class::isInstance)
                                .map(BackupExpired.class::cast)
                                .findFirst(),
                        java.util.Optional::isPresent)
                .orElseThrow();
        assertEquals(first, expired.backupId());
        assertEquals(LOCATION, expired.repository());
        try (S3Store s3 = client()) {
            assertEquals(List.of(), s3.keys("it-prefix/it/" + first + "/"), "the expired backup's objects");
            await("the WAL copy the kept backup does not need deleted")
                    .atMost(Deadlines.BACKUP_FAILED)
                    .until(() -> !s3.keys("it-prefix/it/wal/").contains(walKey));
            assertTrue(
                    s3.keys("it-prefix/it/" + second[1] + "/").contains("it-prefix/it/" + second[1] + "/backup.json"));
        }
        given().get("/clusters/it/backups")
                .then()
                .statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].id", equalTo(second[1]));
        String metrics = given().header("Accept", "text/plain; version=0.0.4")
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(
                metrics.lines().anyMatch(l -> l.matches("pgops_backup_catalogued_backups\\{cluster=\"it\",?} 1\\.0")),
                metrics);
        assertTrue(
                metrics.lines()
                        .anyMatch(l -> l.startsWith("pgops_backup_wal_copied_files_total{cluster=\"it\"")
                                && !l.endsWith(" 0.0")),
                metrics);
        assertFalse(metrics.contains(S3Proxy.SECRET_KEY));
    }

    static final List<Path> started = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterAll
    static void stopTheRestoredServers() {
        RestoredServer.stopAll(started);
    }

    @Test
    void aRequestNamingARepositoryDirectoryIsRefusedWhileTheBackupsLiveInABucket() {
        given().contentType(ContentType.JSON)
                .body("{\"reason\": \"elsewhere\", \"repository\": \"other\"}")
                .post("/clusters/it/backups")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("detail", containsString(LOCATION));
    }
}
