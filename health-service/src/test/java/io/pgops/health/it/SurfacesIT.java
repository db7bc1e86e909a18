package io.pgops.health.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pgops.events.backup.BackupCompleted;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Timeline;
import io.pgops.stack.auth.Tokens;
import io.pgops.stack.testkit.PgopsTestResource;
import io.pgops.stack.testkit.RestAuth;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What operators and other services see: REST, problem+json, metrics, and what consumed backups tell. */
@QuarkusTest
@QuarkusTestResource(
        value = PgopsTestResource.class,
        initArgs = @ResourceArg(name = "cluster", value = "true"),
        restrictToAnnotatedClass = true)
@QuarkusTestResource(value = ItThresholds.class, restrictToAnnotatedClass = true)
class SurfacesIT {

    @BeforeEach
    void sendATokenOfViewer() {
        RestAuth.as(Tokens.VIEWER);
    }

    @AfterEach
    void sendNoToken() {
        RestAuth.anonymous();
    }

    private static void awaitFirstProbes() {
        await("every node of it probed")
                .ignoreExceptions()
                .atMost(Deadlines.BREACH)
                .until(() -> RestAssured.get("/clusters/it/health")
                                .jsonPath()
                                .getList("nodes.findAll { it.probedAt != null }")
                                .size()
                        == 3);
    }

    @Test
    void theClusterListNamesTheInventorysClusterItsPrimaryAndNodes() {
        awaitFirstProbes();
        given().get("/clusters")
                .then()
                .statusCode(200)
                .body("cluster", hasItem("it"))
                .body("find { it.cluster == 'it' }.primary", equalTo("node1"))
                .body("find { it.cluster == 'it' }.nodes", equalTo(List.of("node1", "node2", "node3")));
    }

    @Test
    void theHealthOfAClusterHasEveryCheckPerNodeWithItsValueThresholdAndEvidence() {
        awaitFirstProbes();
        await("connections and lag judged").atMost(Deadlines.BREACH).until(() -> {
            String body = RestAssured.get("/clusters/it/health").asString();
            return body.contains("connections-critical") && body.contains("replication-lag");
        });
        given().get("/clusters/it/health")
                .then()
                .statusCode(200)
                .body("primary", equalTo("node1"))
                .body(
                        "nodes.find { it.node == 'node3' }.checks.find { it.check == 'replication-lag' }.unit",
                        equalTo("bytes"))
                .body(
                        "nodes.find { it.node == 'node1' }.checks.find { it.check == 'connections-critical' }.threshold",
                        equalTo(0.9f))
                .body(
                        // the test kit's nodes serve TLS with its CA (issue 20), and the service connects verify-full
                        "nodes.find { it.node == 'node1' }.checks.find { it.check == 'ssl' }.evidence",
                        equalTo("ssl is on"))
                // the test cluster's network rules are all scram-sha-256: read from pg_hba_file_rules, not assumed
                .body(
                        "nodes.find { it.node == 'node2' }.checks.find { it.check == 'hba-methods' }.evidence",
                        equalTo("no pg_hba rule for network clients accepts md5 or a clear-text password"))
                .body(
                        "nodes.find { it.node == 'node2' }.checks.find { it.check == 'hba-methods' }.failingNow",
                        equalTo(false));
    }

    @Test
    void theReportIsHealthyOnCriticalChecksAndUnhealthyWhenWarningsCountBecausePgauditIsNotLoaded() {
        awaitFirstProbes();
        await("pgaudit breached on node1 (the test cluster does not load it)")
                .atMost(Deadlines.BREACH)
                .until(() ->
                        RestAssured.get("/clusters/it/report?fail-on=warning").statusCode() == 503);
        given().get("/clusters/it/report?fail-on=warning")
                .then()
                .statusCode(503)
                .body("healthy", equalTo(false))
                .body(
                        "problems",
                        hasItem(containsString("pgaudit (warning): pgaudit is not in shared_preload_libraries")));
    }

    /** Issue 20: the probes connect under the inventory's sslmode (the test kit's: verify-full with its CA). */
    @Test
    void theProbesSessionsAreEncrypted() {
        awaitFirstProbes();
        io.pgops.stack.postgres.PgNode node1 =
                io.pgops.stack.testkit.TestStack.get().cluster().getFirst();
        String seen = await("pgops-health's sessions on node1")
                .atMost(Deadlines.BREACH)
                .until(
                        () -> node1.sql(
                                "SELECT count(*) FILTER (WHERE s.ssl) || '/' || count(*) FROM pg_stat_activity a"
                                        + " JOIN pg_stat_ssl s USING (pid) WHERE a.application_name = 'pgops-health'"),
                        v -> !v.endsWith("/0"));
        String[] n = seen.split("/");
        assertEquals(n[1], n[0], "encrypted/all sessions of pgops-health: " + seen);
    }

    @Test
    void theServiceIsLiveWhileItsProbeLoopRunsAndReadyWithKafka() {
        awaitFirstProbes();
        await("a finished cycle of it")
                .atMost(Deadlines.BREACH)
                .until(() -> RestAssured.get("/q/health/live").asString().contains("last cycle"));
        given().get("/q/health/live")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'probe-loop' }.status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200);
    }

    /** Issue 20: every surface but the health check needs a reader's token. */
    @Test
    void theReportAndTheMetricsNeedAReadersTokenAndTheHealthCheckDoesNot() {
        RestAuth.anonymous();
        given().get("/clusters/it/health").then().statusCode(401).contentType("application/problem+json");
        given().get("/q/metrics").then().statusCode(401);
        given().get("/q/health/ready").then().statusCode(200);
        given().header(RestAuth.AUTHORIZATION, RestAuth.header("vera", Tokens.VIEWER))
                .get("/clusters")
                .then()
                .statusCode(200);
    }

    @Test
    void badInputIsAnsweredWithProblemJson() {
        given().get("/clusters/Not_A_Cluster!/health")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].field", notNullValue());
        given().get("/clusters/nope/health")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("nope"));
        given().get("/clusters/it/report?fail-on=sometimes")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void prometheusHasAValuePerClusterNodeAndCheck() {
        awaitFirstProbes();
        RestAssured.get("/q/metrics")
                .asString()
                .lines()
                .filter(l -> l.contains("pgops_health"))
                .limit(30)
                .forEach(System.out::println);
        await("metrics of it")
                .atMost(Deadlines.BREACH)
                .until(
                        () -> RestAssured.get("/q/metrics")
                                .asString()
                                .contains(
                                        "pgops_health_check_value{check=\"connections-critical\",cluster=\"it\",node=\"node1\""));
        given().get("/q/metrics")
                .then()
                .body(containsString("pgops_health_node_up{cluster=\"it\",node=\"node3\"} 1.0"))
                .body(containsString("pgops_health_check_breached{"));
    }

    @Test
    void aBackupCompletedOnTheBackupTopicIsWhatBackupFreshnessJudges() throws Exception {
        awaitFirstProbes();
        String backupId = "it-" + UUID.randomUUID();
        ItEvents.publish(new BackupCompleted(
                ClusterId.of("it"),
                backupId,
                "physical",
                NodeName.of("node2"),
                "it-repo",
                new Timeline(1),
                null,
                null,
                1024,
                1000,
                Instant.now()));
        await("backup-freshness on node1 names the backup")
                .atMost(Deadlines.BREACH)
                .ignoreExceptions()
                .until(() -> RestAssured.get("/clusters/it/health")
                        .jsonPath()
                        .getString("nodes.find { it.node == 'node1' }.checks.find { it.check == 'backup-freshness' }"
                                + ".evidence")
                        .contains(backupId));
    }
}
