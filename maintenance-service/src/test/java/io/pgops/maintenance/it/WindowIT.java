package io.pgops.maintenance.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.EventEnvelope;
import io.pgops.events.Topics;
import io.pgops.events.maintenance.ConfigDriftDetected;
import io.pgops.events.maintenance.MaintenanceDue;
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
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The maintenance-service's scheduled jobs: a window on a cron of every 5 seconds opens by itself and runs what the
 * reports advise; the configuration check (every second here, host facts declared) publishes each difference once,
 * and again when it changes.
 */
@QuarkusTest
@TestProfile(WindowIT.EveryFiveSeconds.class)
@QuarkusTestResource(
        value = PgopsTestResource.class,
        initArgs = @ResourceArg(name = "cluster", value = "true"),
        restrictToAnnotatedClass = true)
class WindowIT {

    @BeforeEach
    void sendATokenOfViewer() {
        RestAuth.as(Tokens.VIEWER);
    }

    @AfterEach
    void sendNoToken() {
        RestAuth.anonymous();
    }

    @AfterEach
    void resetRandomPageCost() {
        primary.sql("ALTER SYSTEM RESET random_page_cost");
        primary.sql("SELECT pg_reload_conf()");
    }

    public static class EveryFiveSeconds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "pgops.maintenance.clusters.it.window.cron", "0/5 * * * * ?",
                    "pgops.maintenance.clusters.it.window.duration", "2m",
                    "pgops.maintenance.clusters.it.host.ram", "2GB",
                    "pgops.maintenance.clusters.it.host.cpus", "2",
                    "pgops.maintenance.config-check-every", "1s");
        }
    }

    final PgNode primary = TestStack.get().cluster().getFirst();

    @Test
    void aWindowOpensOnItsCronPublishesMaintenanceDueAndAnalyzesATableWithStaleStatistics() {
        primary.sql("DROP TABLE IF EXISTS mt_window;"
                + " CREATE TABLE mt_window (id int) WITH (autovacuum_enabled = false);"
                + " INSERT INTO mt_window SELECT g FROM generate_series(1, 5000) g;");
        Map<String, Object> run = await("a window's run that analyzed public.mt_window")
                .atMost(Deadlines.RUN)
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> {
                            List<Map<String, Object>> runs = given().get("/clusters/it/maintenance")
                                    .then()
                                    .statusCode(200)
                                    .extract()
                                    .jsonPath()
                                    .getList("findAll { it.principal == 'maintenance-window' && it.status == 'DONE'"
                                            + " && it.tasks.any { t -> t.target == 'postgres.public.mt_window'"
                                            + " && t.state == 'COMPLETED' } }");
                            return runs.isEmpty() ? null : runs.getFirst();
                        },
                        r -> r != null);
        assertTrue(((String) run.get("reason")).startsWith("maintenance window (cron '0/5 * * * * ?' UTC, 2 min)"));
        assertEquals(
                Duration.ofMinutes(2),
                Duration.between(
                        Instant.parse((String) run.get("startedAt")), Instant.parse((String) run.get("windowEnd"))));
        String correlation = (String) run.get("correlationId");
        List<EventEnvelope> due = KafkaTap.events(TestStack.get().kafkaBootstrap(), Topics.MAINTENANCE_EVENTS).stream()
                .filter(e -> correlation.equals(e.correlationId()) && e.data() instanceof MaintenanceDue)
                .toList();
        assertTrue(
                due.stream()
                        .anyMatch(e -> ((MaintenanceDue) e.data()).target().equals("postgres.public.mt_window")
                                && ((MaintenanceDue) e.data()).task().equals("analyze")),
                "MaintenanceDue analyze of the table in the window's run: " + due);
        JsonPath candidates = given().get("/clusters/it/reports/vacuum-candidates")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertTrue(candidates
                .getList("body.tasks.findAll { it.target.name == 'mt_window' }")
                .isEmpty());
    }

    @Test
    void theScheduledConfigCheckPublishesEachDifferenceOnceAndAgainWhenItChanges() {
        List<PgNode> nodes = TestStack.get().cluster();
        for (PgNode n : nodes) {
            await("the scheduler's ConfigDriftDetected of random_page_cost on " + n.name())
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> scheduledDrifts(n.name()).stream().anyMatch(d -> "4".equals(d.actual())));
        }
        // a change of the setting on one node is news; the difference as it was is not published again
        primary.sql("ALTER SYSTEM SET random_page_cost = 3.5");
        primary.sql("SELECT pg_reload_conf()");
        await("the scheduler's ConfigDriftDetected of random_page_cost 3.5 on " + primary.name())
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> scheduledDrifts(primary.name()).stream().anyMatch(d -> "3.5".equals(d.actual())));
        List<ConfigDriftDetected> first = scheduledDrifts(primary.name()).stream()
                .filter(d -> "4".equals(d.actual()))
                .toList();
        assertEquals(1, first.size(), "published once while it lasted, through several checks: " + first);
        assertEquals("1.1", first.getFirst().expected());
    }

    /** The scheduler's (no principal) ConfigDriftDetected of random_page_cost on {@code node}, oldest first. */
    private static List<ConfigDriftDetected> scheduledDrifts(String node) {
        return KafkaTap.events(TestStack.get().kafkaBootstrap(), Topics.MAINTENANCE_EVENTS).stream()
                .filter(e -> e.requester() == null && e.data() instanceof ConfigDriftDetected)
                .map(e -> (ConfigDriftDetected) e.data())
                .filter(d -> d.node().value().equals(node) && d.parameter().equals("random_page_cost"))
                .toList();
    }
}
