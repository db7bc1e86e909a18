package io.pgops.replication.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.replication.service.CommandPublisher;
import io.pgops.replication.service.TopologyView;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 20's per-cluster roles through the service's real security: a token whose groups say {@code
 * pgops-operator:local} switches {@code local} over (the command published, its requester holding both names of the
 * role) and is refused 403 on another cluster, on a read spanning every cluster and on an admin's command; {@code
 * pgops-viewer:local} reads {@code local} only. The publisher records instead of sending to Kafka.
 */
@QuarkusTest
@QuarkusTestResource(value = CommandsOnlyResource.class, restrictToAnnotatedClass = true)
class ClusterScopedRolesTest {
    MalformedCommandsTest.RecordingPublisher publisher;

    @BeforeEach
    void recordInsteadOfPublishing() {
        publisher = new MalformedCommandsTest.RecordingPublisher();
        QuarkusMock.installMockForType(publisher, CommandPublisher.class);
        QuarkusMock.installMockForType(new MalformedCommandsTest.OneTopology(), TopologyView.class);
    }

    private static String token(String principal, String... groups) {
        return "Bearer " + CommandsOnlyResource.TOKENS.mint(principal, List.of(groups), Duration.ofMinutes(5));
    }

    @Test
    void anOperatorOfOneClusterSwitchesItOverAndIsRefusedEverywhereElse() {
        String op = token("ops-eu", "pgops-operator:local");
        given().header("Authorization", op)
                .contentType("application/json")
                .body("{\"reason\":\"scoped\"}")
                .post("/clusters/local/switchover")
                .then()
                .statusCode(202);
        assertEquals(1, publisher.published.size());
        assertEquals("ops-eu", publisher.requesters.getFirst().principal());
        assertTrue(
                publisher.requesters.getFirst().roles().containsAll(List.of("pgops-operator", "pgops-operator:local")),
                publisher.requesters.toString());

        for (String path : List.of("/clusters/other/switchover", "/clusters/local/nodes/node2/reinit")) {
            given().header("Authorization", op)
                    .contentType("application/json")
                    .body("{\"reason\":\"scoped\"}")
                    .post(path)
                    .then()
                    .statusCode(403)
                    .header("Content-Type", startsWith("application/problem+json"));
        }
        given().header("Authorization", op).get("/q/metrics").then().statusCode(403);
        assertEquals(1, publisher.published.size(), "nothing more published");
    }

    @Test
    void aViewerOfOneClusterReadsItAndNoOther() {
        String viewer = token("watch-eu", "pgops-viewer:local");
        given().header("Authorization", viewer).get("/clusters/local").then().statusCode(200);
        given().header("Authorization", viewer).get("/clusters/other").then().statusCode(403);
        given().header("Authorization", viewer)
                .contentType("application/json")
                .body("{\"reason\":\"scoped\"}")
                .post("/clusters/local/switchover")
                .then()
                .statusCode(403);
        assertEquals(List.of(), publisher.published);
    }
}
