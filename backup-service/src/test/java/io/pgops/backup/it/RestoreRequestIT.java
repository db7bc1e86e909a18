package io.pgops.backup.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.EventEnvelope;
import io.pgops.events.Topics;
import io.pgops.events.backup.BackupCompleted;
import io.pgops.events.backup.BackupFailed;
import io.pgops.events.backup.RestoreCompleted;
import io.pgops.events.backup.RestoreFailed;
import io.pgops.events.backup.RestoreRequested;
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
import org.junit.jupiter.api.Test;

/**
 * Restores through the service on the real cluster and broker: an admin's restore into a new directory publishes
 * {@code RestoreRequested} with the admin's name and the directory, then {@code RestoreCompleted} on a new timeline,
 * the copy stopped; a running node's data directory, a directory outside the root, an operator and an unknown
 * cluster are refused with problem+json before anything is published.
 */
@QuarkusTest
@QuarkusTestResource(
        value = PgopsTestResource.class,
        initArgs = @ResourceArg(name = "cluster", value = "true"),
        restrictToAnnotatedClass = true)
@QuarkusTestResource(value = RestoreItConfig.class, restrictToAnnotatedClass = true)
class RestoreRequestIT {
    private static final String ADMIN = RestAuth.header("it-admin", Tokens.ADMIN);
    private static final String OPERATOR = RestAuth.header("it-operator", Tokens.OPERATOR);

    private static List<EventEnvelope> events(String topic, String correlation) {
        return KafkaTap.events(TestStack.get().kafkaBootstrap(), topic).stream()
                .filter(e -> e.correlationId().equals(correlation))
                .toList();
    }

    private static io.restassured.response.ValidatableResponse restore(String token, String cluster, String body) {
        return given().header(RestAuth.AUTHORIZATION, token)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/clusters/" + cluster + "/restores")
                .then();
    }

    private static long restoreRequests() {
        return KafkaTap.events(TestStack.get().kafkaBootstrap(), Topics.BACKUP_COMMANDS).stream()
                .filter(e -> e.data() instanceof RestoreRequested)
                .count();
    }

    @Test
    void anAdminsRestoreLandsInANewDirectoryOnANewTimelineStopped() {
        PgNode primary = TestStack.get().cluster().getFirst();
        String backup = given().header(RestAuth.AUTHORIZATION, OPERATOR)
                .contentType(ContentType.JSON)
                .body("{\"reason\": \"before the restore\", \"node\": \"node1\", \"fastCheckpoint\": true}")
                .post("/clusters/it/backups")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getString("correlationId");
        List<EventEnvelope> flow = await("the backup to restore from completes")
                .atMost(Deadlines.BACKUP_VERIFIED)
                .until(
                        () -> events(Topics.BACKUP_EVENTS, backup),
                        f -> f.stream()
                                .anyMatch(
                                        e -> e.data() instanceof BackupCompleted || e.data() instanceof BackupFailed));
        assertTrue(flow.stream().anyMatch(e -> e.data() instanceof BackupCompleted), flow.toString());
        primary.sql("CREATE TABLE IF NOT EXISTS after_backup AS SELECT 1 AS id; SELECT pg_switch_wal()");

        Path dir = TestStack.get().dir().resolve("restores").resolve("restored1");
        JsonPath accepted = restore(
                        ADMIN,
                        "it",
                        "{\"reason\": \"check yesterday's rows\", \"node\": \"restored1\", \"directory\": \"" + dir
                                + "\"}")
                .statusCode(202)
                .extract()
                .jsonPath();
        String correlation = accepted.getString("correlationId");
        List<EventEnvelope> asked = events(Topics.BACKUP_COMMANDS, correlation);
        assertEquals(1, asked.size());
        RestoreRequested r = (RestoreRequested) asked.getFirst().data();
        assertEquals("it-admin", r.principal());
        assertEquals(dir.toString(), r.targetDirectory());
        assertEquals(accepted.getString("backupId"), r.backupId());

        List<EventEnvelope> done = await("RestoreCompleted or RestoreFailed under " + correlation)
                .atMost(Deadlines.BACKUP_VERIFIED)
                .until(
                        () -> events(Topics.BACKUP_EVENTS, correlation),
                        f -> f.stream()
                                .anyMatch(e ->
                                        e.data() instanceof RestoreCompleted || e.data() instanceof RestoreFailed));
        RestoreCompleted c = (RestoreCompleted) done.stream()
                .map(EventEnvelope::data)
                .filter(d -> d instanceof RestoreCompleted)
                .findFirst()
                .orElseThrow(() -> new AssertionError(done.toString()));
        assertTrue(c.timeline().value() >= 2, c.toString());
        assertTrue(c.walReplayedBytes() > 0, c.toString());
        assertTrue(Files.exists(dir.resolve("PG_VERSION")), "a data directory in " + dir);
        assertFalse(Files.exists(dir.resolve("postmaster.pid")), "the restored copy is stopped");
    }

    @Test
    void aRunningNodesDataDirectoryAnOutsidePathAnOperatorAndAnUnknownClusterAreRefusedBeforeAnythingIsPublished() {
        long before = restoreRequests();
        Path running = TestStack.get().cluster().getFirst().dataDir();
        restore(ADMIN, "it", "{\"reason\": \"oops\", \"node\": \"node1\", \"directory\": \"" + running + "\"}")
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("is alive"));
        restore(ADMIN, "it", "{\"reason\": \"x\", \"node\": \"r2\", \"directory\": \"/etc/pgops-restore\"}")
                .statusCode(422)
                .contentType("application/problem+json");
        restore(
                        ADMIN,
                        "it",
                        "{\"reason\": \"x\", \"node\": \"r2\", \"directory\": \"" + running.resolveSibling("r2")
                                + "\", \"targetLsn\": \"not-an-lsn\"}")
                .statusCode(422);
        restore(
                        OPERATOR,
                        "it",
                        "{\"reason\": \"x\", \"node\": \"r2\", \"directory\": \"" + running.resolveSibling("r2")
                                + "\"}")
                .statusCode(403);
        restore(
                        ADMIN,
                        "nope",
                        "{\"reason\": \"x\", \"node\": \"r2\", \"directory\": \"" + running.resolveSibling("r2")
                                + "\"}")
                .statusCode(404);
        restore(ADMIN, "it", "{\"node\": \"r2\", \"directory\": \"/tmp/x\"}").statusCode(400);
        assertEquals(before, restoreRequests(), "nothing published for a refused restore");
        assertTrue(running.resolve("PG_VERSION").toFile().exists(), "the running node's directory is untouched");
    }
}
