package io.pgops.backup.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.EventEnvelope;
import io.pgops.events.Topics;
import io.pgops.events.backup.BackupCompleted;
import io.pgops.events.backup.BackupFailed;
import io.pgops.events.backup.BackupRequested;
import io.pgops.events.backup.BackupStarted;
import io.pgops.events.backup.BackupVerificationFailed;
import io.pgops.events.backup.BackupVerified;
import io.pgops.stack.auth.Tokens;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.testkit.KafkaTap;
import io.pgops.stack.testkit.PgopsTestResource;
import io.pgops.stack.testkit.RestAuth;
import io.pgops.stack.testkit.TestStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The service on the real cluster and broker: a requested backup tells its story on Kafka in order under one
 * correlation id and lands in the catalogue verified; a stopped node's backup fails with the reason and leaves
 * nothing, and the next one succeeds; bad requests are refused with problem+json and publish nothing.
 */
@QuarkusTest
@QuarkusTestResource(
        value = PgopsTestResource.class,
        initArgs = @ResourceArg(name = "cluster", value = "true"),
        restrictToAnnotatedClass = true)
@QuarkusTestResource(value = BackupItConfig.class, restrictToAnnotatedClass = true)
class BackupRequestIT {

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
                .header(RestAuth.AUTHORIZATION, RestAuth.header("it-operator", Tokens.OPERATOR))
                .body(body)
                .post("/clusters/it/backups")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath();
    }

    @Test
    void aRequestedBackupTellsItsStoryInOrderUnderOneCorrelationIdAndIsCataloguedVerified() {
        PgNode primary = TestStack.get().cluster().getFirst();
        primary.sql("DROP TABLE IF EXISTS service_rows; CREATE TABLE service_rows AS"
                + " SELECT g AS id FROM generate_series(1, 1000) g");
        JsonPath accepted =
                request("{\"reason\": \"before the upgrade\", \"node\": \"node1\", \"fastCheckpoint\": true}");
        String correlation = accepted.getString("correlationId");
        String id = accepted.getString("backupId");
        assertEquals("node1", accepted.getString("node"));

        List<EventEnvelope> flow = await("BackupStarted, BackupCompleted and two verifications under " + correlation)
                .atMost(Deadlines.BACKUP_VERIFIED)
                .until(
                        () -> flow(correlation),
                        f -> f.size() >= 4 || f.stream().anyMatch(e -> e.data() instanceof BackupFailed));
        List<String> kinds =
                flow.stream().map(e -> e.data().getClass().getSimpleName()).toList();
        assertEquals(
                List.of(
                        BackupStarted.class.getSimpleName(),
                        BackupCompleted.class.getSimpleName(),
                        BackupVerified.class.getSimpleName(),
                        BackupVerified.class.getSimpleName()),
                kinds,
                flow.toString());
        BackupCompleted done = (BackupCompleted) flow.get(1).data();
        assertEquals(id, done.backupId());
        assertTrue(done.sizeBytes() > 0 && done.stopLsn().compareTo(done.startLsn()) >= 0, done.toString());
        assertTrue(done.rawBytes() != null && done.rawBytes() > done.sizeBytes(), "compressed: " + done);
        assertEquals("manifest", ((BackupVerified) flow.get(2).data()).method());
        assertEquals("restore", ((BackupVerified) flow.get(3).data()).method());

        List<EventEnvelope> commands =
                KafkaTap.events(TestStack.get().kafkaBootstrap(), Topics.BACKUP_COMMANDS).stream()
                        .filter(e -> e.correlationId().equals(correlation))
                        .toList();
        assertEquals(1, commands.size());
        BackupRequested asked = (BackupRequested) commands.getFirst().data();
        assertEquals("it-operator", asked.principal());
        assertEquals("before the upgrade", asked.reason());

        given().get("/clusters/it/backups")
                .then()
                .statusCode(200)
                .body("find { it.id == '" + id + "' }.verification.state", equalTo("verified"))
                .body(
                        "find { it.id == '" + id + "' }.verification.rowCounts.'postgres.public.service_rows'",
                        equalTo(1000));

        // the metrics read the catalogue: the newest backup's figures, and this run counted
        String metrics = given().header("Accept", "text/plain; version=0.0.4")
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(metric(metrics, "pgops_backup_last_stored_bytes{cluster=\"it\"") > 0, metrics);
        assertTrue(metric(metrics, "pgops_backup_catalogued_backups{cluster=\"it\"") >= 1, metrics);
        assertTrue(metric(metrics, "pgops_backup_runs_total{cluster=\"it\",outcome=\"completed\"") >= 1, metrics);
        assertTrue(
                metric(metrics, "pgops_backup_last_completed_timestamp_seconds{cluster=\"it\"")
                        >= done.completedAt().getEpochSecond(),
                metrics);
    }

    /** The value of the first sample whose line starts with {@code prefix}; NaN when there is none. */
    private static double metric(String text, String prefix) {
        return text.lines()
                .filter(l -> l.startsWith(prefix))
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElse(Double.NaN);
    }

    @Test
    void aBackupOfAStoppedNodeFailsWithTheReasonAndLeavesNothingAndTheNextOneSucceeds() throws Exception {
        PgNode node3 = TestStack.get().cluster().get(2);
        node3.stop("fast");
        String failedId;
        try {
            JsonPath accepted = request("{\"reason\": \"nightly\", \"node\": \"node3\"}");
            failedId = accepted.getString("backupId");
            String correlation = accepted.getString("correlationId");
            List<EventEnvelope> flow = await("BackupFailed for the stopped node3")
                    .atMost(Deadlines.BACKUP_FAILED)
                    .until(() -> flow(correlation), f -> f.stream().anyMatch(e -> e.data() instanceof BackupFailed));
            BackupFailed failed = (BackupFailed) flow.getLast().data();
            assertEquals("start", failed.stage());
            assertTrue(failed.error().contains("node3") && failed.error().contains("does not answer"), failed.error());
            assertTrue(failed.error().lines().count() > 1, "the tool's own lines follow: " + failed.error());
        } finally {
            node3.start();
        }
        Path clusterDir = TestStack.get().dir().resolve("backups/it");
        if (Files.isDirectory(clusterDir)) {
            try (var dirs = Files.list(clusterDir)) {
                assertFalse(
                        dirs.anyMatch(p -> p.getFileName().toString().contains(failedId)),
                        "nothing of the failed backup is left in the repository");
            }
        }
        given().get("/clusters/it/backups")
                .then()
                .statusCode(200)
                .body("id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(failedId)));

        JsonPath again =
                request("{\"reason\": \"nightly, node3 back\", \"node\": \"node3\", \"fastCheckpoint\": true}");
        String correlation = again.getString("correlationId");
        List<EventEnvelope> flow = await("the next backup of node3 completes")
                .atMost(Deadlines.BACKUP_VERIFIED)
                .until(
                        () -> flow(correlation),
                        f -> f.stream()
                                .anyMatch(
                                        e -> e.data() instanceof BackupCompleted || e.data() instanceof BackupFailed));
        assertTrue(flow.stream().anyMatch(e -> e.data() instanceof BackupCompleted), flow.toString());
        await("the catalogue lists node3's backup")
                .atMost(Deadlines.BACKUP_VERIFIED)
                .until(() -> given().get("/clusters/it/backups")
                        .jsonPath()
                        .getList("id")
                        .contains(again.getString("backupId")));
        // wait for its verification too, so no drill runs on while the next test looks
        await("node3's backup verified")
                .atMost(Deadlines.BACKUP_VERIFIED)
                .until(() -> flow(correlation).stream()
                        .anyMatch(e -> e.data() instanceof BackupVerificationFailed
                                || (e.data() instanceof BackupVerified v
                                        && v.method().equals("restore"))));
    }

    @Test
    void badRequestsAreRefusedWithProblemsAndPublishNothing() {
        int before = KafkaTap.events(TestStack.get().kafkaBootstrap(), Topics.BACKUP_COMMANDS)
                .size();
        given().contentType(ContentType.JSON)
                .body("{\"reason\": \"x\"}")
                .post("/clusters/nope/backups")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("nope"));
        given().contentType(ContentType.JSON)
                .body("{\"reason\": \"x\", \"node\": \"node9\"}")
                .post("/clusters/it/backups")
                .then()
                .statusCode(422)
                .body("detail", containsString("node9"));
        given().contentType(ContentType.JSON)
                .body("{\"reason\": \"x\", \"repository\": \"../../etc\"}")
                .post("/clusters/it/backups")
                .then()
                .statusCode(422)
                .body("detail", containsString("outside the configured repository root"));
        given().contentType(ContentType.JSON)
                .body("{\"node\": \"node1\"}")
                .post("/clusters/it/backups")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .body("{\"reason\": \"x\", \"fastCheckpoint\": \"yes\"}")
                .post("/clusters/it/backups")
                .then()
                .statusCode(400);
        given().get("/clusters/nope/backups").then().statusCode(404);
        assertEquals(
                before,
                KafkaTap.events(TestStack.get().kafkaBootstrap(), Topics.BACKUP_COMMANDS)
                        .size());
    }
}
