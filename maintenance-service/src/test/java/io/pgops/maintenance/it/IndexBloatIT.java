package io.pgops.maintenance.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.EventEnvelope;
import io.pgops.events.Topics;
import io.pgops.events.maintenance.MaintenanceCompleted;
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
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An index whose key was updated four times over is about four fifths empty pages: the bloat report estimates it, an
 * advised run rebuilds it with {@code REINDEX INDEX CONCURRENTLY} and its size drops.
 */
@QuarkusTest
@QuarkusTestResource(
        value = PgopsTestResource.class,
        initArgs = @ResourceArg(name = "cluster", value = "true"),
        restrictToAnnotatedClass = true)
class IndexBloatIT {
    @BeforeEach
    void sendATokenOfOperator() {
        RestAuth.as(Tokens.OPERATOR);
    }

    @AfterEach
    void sendNoToken() {
        RestAuth.anonymous();
    }

    final PgNode primary = TestStack.get().cluster().getFirst();

    @Test
    void aBloatedIndexIsInTheBloatReportAndAnAdvisedRunRebuildsIt() {
        primary.sql("DROP TABLE IF EXISTS mt_ixbloat;"
                + " CREATE TABLE mt_ixbloat (id int, k int) WITH (autovacuum_enabled = false);"
                + " INSERT INTO mt_ixbloat SELECT g, g FROM generate_series(1, 50000) g;"
                + " CREATE INDEX mt_ixbloat_k ON mt_ixbloat (k);"
                + " UPDATE mt_ixbloat SET k = k + 1; UPDATE mt_ixbloat SET k = k + 1;"
                + " UPDATE mt_ixbloat SET k = k + 1; UPDATE mt_ixbloat SET k = k + 1;"
                + " ANALYZE mt_ixbloat;");
        JsonPath bloat = given().get("/clusters/it/reports/bloat")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        Map<String, Object> estimate = bloat.getMap("body.indexes.find { it.index.name == 'mt_ixbloat_k' }");
        assertTrue(estimate != null, bloat.prettify());
        double ratio = ((Number) estimate.get("bloatRatio")).doubleValue();
        assertTrue(ratio > 0.6, "bloat ratio " + ratio);

        String runId = given().contentType(ContentType.JSON)
                .body(Map.of("reason", "IndexBloatIT", "windowMinutes", 10))
                .post("/clusters/it/maintenance")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getString("runId");
        JsonPath done = MaintenanceIT.awaitRun(runId);
        Map<String, Object> task = done.getMap("tasks.find { it.target == 'postgres.public.mt_ixbloat_k' }");
        assertEquals("reindex", task.get("task"), done.prettify());
        assertEquals("COMPLETED", task.get("state"), done.prettify());
        String correlation = done.getString("correlationId");
        MaintenanceCompleted completed = await("MaintenanceCompleted of the reindex")
                .atMost(Deadlines.STATS)
                .until(
                        () -> KafkaTap.events(TestStack.get().kafkaBootstrap(), Topics.MAINTENANCE_EVENTS).stream()
                                .filter(e -> correlation.equals(e.correlationId()))
                                .map(EventEnvelope::data)
                                .filter(d -> d instanceof MaintenanceCompleted c
                                        && c.target().equals("postgres.public.mt_ixbloat_k"))
                                .map(MaintenanceCompleted.class::cast)
                                .findFirst()
                                .orElse(null),
                        c -> c != null);
        assertTrue(
                completed.sizeBytesAfter() < completed.sizeBytesBefore() / 2,
                completed.sizeBytesBefore() + " -> " + completed.sizeBytesAfter());
        assertTrue(completed.reclaimedBytes() > 0);
        System.out.printf(
                "IndexBloatIT figures: estimated bloat %.0f%% of %s bytes; REINDEX INDEX CONCURRENTLY %d -> %d bytes"
                        + " in %d ms%n",
                ratio * 100,
                estimate.get("actualBytes"),
                completed.sizeBytesBefore(),
                completed.sizeBytesAfter(),
                completed.durationMillis());
    }
}
