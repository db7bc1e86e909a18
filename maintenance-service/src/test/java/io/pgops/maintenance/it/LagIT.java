package io.pgops.maintenance.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.EventEnvelope;
import io.pgops.events.Topics;
import io.pgops.events.maintenance.MaintenanceFailed;
import io.pgops.stack.auth.Tokens;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.testkit.KafkaTap;
import io.pgops.stack.testkit.PgopsTestResource;
import io.pgops.stack.testkit.RestAuth;
import io.pgops.stack.testkit.TestStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A task does not start while a standby lags: replay is paused on the async standby node3 ({@code
 * pg_wal_replay_pause()}) and the primary writes a few MiB of WAL, above this cluster's limit of 1 MiB; the run's task
 * is postponed and says why; once replay resumes and node3 caught up, the same run completes.
 */
@QuarkusTest
@TestProfile(LagIT.OneMebibyte.class)
@QuarkusTestResource(
        value = PgopsTestResource.class,
        initArgs = @ResourceArg(name = "cluster", value = "true"),
        restrictToAnnotatedClass = true)
class LagIT {
    static final long LIMIT = 1024 * 1024;

    public static class OneMebibyte implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pgops.maintenance.clusters.it.max-lag-bytes", Long.toString(LIMIT));
        }
    }

    @BeforeEach
    void sendATokenOfOperator() {
        RestAuth.as(Tokens.OPERATOR);
    }

    @AfterEach
    void sendNoToken() {
        RestAuth.anonymous();
    }

    final PgNode primary = TestStack.get().cluster().getFirst();
    final PgNode node3 = TestStack.get().cluster().get(2);

    long node3LagBytes() {
        String v = primary.sql("SELECT coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), -1)::bigint"
                + " FROM pg_stat_replication WHERE application_name = '" + node3.name() + "'");
        return v.isEmpty() ? -1 : Long.parseLong(v);
    }

    static JsonPath run() {
        String runId = given().contentType(ContentType.JSON)
                .body(Map.of("reason", "LagIT", "tasks", List.of(Map.of("task", "analyze", "target", "mt_lag"))))
                .post("/clusters/it/maintenance")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getString("runId");
        return MaintenanceIT.awaitRun(runId);
    }

    @Test
    void aTaskIsPostponedWhileAStandbyReplaysAboveTheLimitAndRunsOnceItCaughtUp() {
        primary.sql("DROP TABLE IF EXISTS mt_lag; CREATE TABLE mt_lag (id int, pad text);");
        await("node3 streaming").atMost(Deadlines.STATS).until(() -> node3LagBytes() >= 0);
        node3.sql("SELECT pg_wal_replay_pause()");
        try {
            primary.sql("INSERT INTO mt_lag SELECT g, repeat('x', 50) FROM generate_series(1, 40000) g");
            long lag = await("node3 more than 1 MiB behind")
                    .atMost(Deadlines.STATS)
                    .pollInterval(Duration.ofMillis(200))
                    .until(this::node3LagBytes, l -> l > LIMIT);
            JsonPath postponed = run();
            Map<String, Object> task = postponed.getMap("tasks[0]");
            assertEquals("SKIPPED", task.get("state"), postponed.prettify());
            String detail = (String) task.get("detail");
            assertTrue(detail.startsWith("postponed: standby node3 replays "), detail);
            assertTrue(detail.contains("above the limit of 1.0 MiB"), detail);
            String correlation = postponed.getString("correlationId");
            MaintenanceFailed failed = await("MaintenanceFailed of the postponed task on Kafka")
                    .atMost(Deadlines.STATS)
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () -> KafkaTap.events(TestStack.get().kafkaBootstrap(), Topics.MAINTENANCE_EVENTS).stream()
                                    .filter(e -> correlation.equals(e.correlationId()))
                                    .map(EventEnvelope::data)
                                    .filter(d -> d instanceof MaintenanceFailed)
                                    .map(MaintenanceFailed.class::cast)
                                    .findFirst()
                                    .orElse(null),
                            f -> f != null);
            assertEquals(detail, failed.error());
            System.out.printf("LagIT figures: node3 %d bytes behind with replay paused; task postponed%n", lag);
        } finally {
            node3.sql("SELECT pg_wal_replay_resume()");
        }
        await("node3 caught up")
                .atMost(Deadlines.STATS)
                .pollInterval(Duration.ofMillis(200))
                .until(this::node3LagBytes, l -> l >= 0 && l <= LIMIT);
        JsonPath done = run();
        assertEquals("COMPLETED", done.getString("tasks[0].state"), done.prettify());
    }
}
