package io.pgops.maintenance.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.EventEnvelope;
import io.pgops.events.Topics;
import io.pgops.events.maintenance.ConfigDriftDetected;
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
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The configuration advisor on the test kit's real 3-node cluster (no host facts declared in its config). */
@QuarkusTest
@QuarkusTestResource(
        value = PgopsTestResource.class,
        initArgs = @ResourceArg(name = "cluster", value = "true"),
        restrictToAnnotatedClass = true)
class ConfigAdvisorIT {
    static final String FACTS =
            "{\"ram\":\"2GB\",\"cpus\":2,\"storage\":\"ssd\",\"connections\":50,\"workload\":\"web\"}";
    static final List<String> APPLIED = List.of("random_page_cost", "work_mem", "shared_buffers");

    final List<PgNode> cluster = TestStack.get().cluster();

    @AfterEach
    void resetWhatWasApplied() {
        RestAuth.anonymous();
        for (PgNode n : cluster) {
            for (String p : APPLIED) {
                n.sql("ALTER SYSTEM RESET " + p);
            }
            n.sql("SELECT pg_reload_conf()");
        }
    }

    @Test
    void withoutDeclaredFactsTheAdvisorAsksForThemAndWithFactsItNamesEachNodesDifferences() {
        RestAuth.as(Tokens.VIEWER);
        given().get("/clusters/it/config/advice").then().statusCode(409).contentType("application/problem+json");
        given().get("/clusters/it/config/advice?ram=2GB").then().statusCode(422);
        JsonPath a = given().get("/clusters/it/config/advice?ram=2GB&cpus=2&storage=ssd&connections=50&workload=web")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(3, a.getList("nodes").size());
        for (PgNode n : cluster) {
            String path = "nodes.find { it.node == '" + n.name() + "' }.drifts.find { it.name == 'random_page_cost' }";
            assertEquals("1.1", a.getString(path + ".recommended"), a.prettify());
            assertEquals(n.sql("SHOW random_page_cost"), a.getString(path + ".actual"));
        }
    }

    @Test
    void aCheckPublishesTheDriftAndAnAdminsApplyTakesEffectOnEveryNodeOrSaysItWaitsForARestart() {
        RestAuth.as(Tokens.OPERATOR);
        given().contentType(ContentType.JSON)
                .body("{\"facts\":" + FACTS + ",\"reason\":\"review\"}")
                .post("/clusters/it/config/check")
                .then()
                .statusCode(200);
        await("ConfigDriftDetected for random_page_cost on every node")
                .atMost(Duration.ofSeconds(30))
                .until(() -> drifted("random_page_cost").containsAll(Set.of("node1", "node2", "node3")));
        String apply = "{\"facts\":" + FACTS + ",\"parameters\":[\"random_page_cost\",\"work_mem\",\"shared_buffers\"],"
                + "\"reason\":\"tune for SSD\"}";
        given().contentType(ContentType.JSON)
                .body(apply)
                .post("/clusters/it/config/apply")
                .then()
                .statusCode(403);

        RestAuth.as(Tokens.ADMIN);
        given().contentType(ContentType.JSON)
                .body("{\"facts\":" + FACTS + ",\"parameters\":[\"fsync\"],\"reason\":\"x\"}")
                .post("/clusters/it/config/apply")
                .then()
                .statusCode(422);
        JsonPath r = given().contentType(ContentType.JSON)
                .body(apply)
                .post("/clusters/it/config/apply")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        for (PgNode n : cluster) {
            String node = "find { it.node == '" + n.name() + "' }";
            assertEquals(null, r.getString(node + ".failed"), r.prettify());
            assertTrue(r.getString(node + ".parameters.random_page_cost").contains("in effect"), r.prettify());
            assertEquals(List.of("shared_buffers"), r.getList(node + ".pendingRestart"), r.prettify());
            assertEquals("1.1", n.sql("SHOW random_page_cost"), n.name());
            assertEquals("t", n.sql("SELECT pending_restart FROM pg_settings WHERE name = 'shared_buffers'"));
        }
    }

    private Set<String> drifted(String parameter) {
        return KafkaTap.events(TestStack.get().kafkaBootstrap(), Topics.MAINTENANCE_EVENTS).stream()
                .map(EventEnvelope::data)
                .filter(d -> d instanceof ConfigDriftDetected c && c.parameter().equals(parameter))
                .map(d -> ((ConfigDriftDetected) d).node().value())
                .collect(Collectors.toSet());
    }
}
