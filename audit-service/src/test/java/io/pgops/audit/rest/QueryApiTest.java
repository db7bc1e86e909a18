package io.pgops.audit.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.audit.InMemoryAuditResource;
import io.pgops.audit.KafkaBatch;
import io.pgops.audit.Samples;
import io.pgops.audit.Trail;
import io.pgops.events.EventEnvelope;
import io.pgops.stack.Http;
import io.pgops.stack.auth.Tokens;
import io.pgops.stack.testkit.RestAuth;
import io.pgops.stack.testkit.TestStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(InMemoryAuditResource.class)
class QueryApiTest {

    @BeforeEach
    void sendATokenOfViewer() {
        RestAuth.as(Tokens.VIEWER);
    }

    @AfterEach
    void sendNoToken() {
        RestAuth.anonymous();
    }

    static final Instant T0 = Instant.parse("2026-11-25T02:15:00Z");

    @Inject
    @org.eclipse.microprofile.reactive.messaging.spi.Connector("smallrye-in-memory")
    InMemoryConnector connector;

    String cluster;
    List<EventEnvelope> story;

    @BeforeEach
    void recordAFailoverAndAnOperatorCommand() {
        cluster = "q-" + System.nanoTime();
        story = new ArrayList<>(Samples.failover(cluster, T0));
        story.add(Samples.promoteRequested(cluster, "db1", "alice@example.com", T0.plusSeconds(60)));
        KafkaBatch batch = KafkaBatch.of(story);
        connector.<Message<List<byte[]>>>source("audit-in").send(batch.message());
        batch.awaitAck();
    }

    @Test
    void eventsAreFilteredByClusterTypeNodePrincipalCorrelationAndTimeRange() {
        assertEquals(6, Trail.events("cluster=" + cluster).size());
        assertEquals(
                1,
                Trail.events("cluster=" + cluster + "&type=io.pgops.replication.node-promoted.v1")
                        .size());
        assertEquals(1, Trail.events("cluster=" + cluster + "&node=db2").size());
        List<Map<String, Object>> asked = Trail.events("cluster=" + cluster + "&principal=alice@example.com");
        assertEquals(List.of("io.pgops.replication.promote-requested.v1"), types(asked));
        assertEquals(
                5,
                Trail.events("correlationId=" + story.getFirst().correlationId())
                        .size());
        List<Map<String, Object>> window =
                Trail.events("cluster=" + cluster + "&from=" + T0.plusMillis(500) + "&to=" + T0.plusMillis(2500));
        assertEquals(
                List.of("io.pgops.replication.node-fenced.v1", "io.pgops.replication.failover-started.v1"),
                types(window));
    }

    @Test
    void theCursorWalksEveryEventOnceNewestFirstAndTheLastPageHasNoNext() {
        List<String> seen = new ArrayList<>();
        String url = "/audit/events?limit=4&cluster=" + cluster;
        Response first = given().get(url).then().statusCode(200).extract().response();
        List<String> ids = first.jsonPath().getList("items.eventId");
        seen.addAll(ids);
        String next = first.jsonPath().getString("next");
        assertTrue(first.header("Link").contains("rel=\"next\""), first.header("Link"));
        Response second = given().get(url + "&cursor=" + next)
                .then()
                .statusCode(200)
                .extract()
                .response();
        seen.addAll(second.jsonPath().getList("items.eventId"));
        assertNull(second.jsonPath().getString("next"));

        List<String> expected = story.reversed().stream().map(EventEnvelope::id).toList();
        assertEquals(expected, seen);
    }

    @Test
    void jsonIsTheDefaultWhateverTheClientAccepts() {
        given().accept("*/*")
                .get("/audit/events?limit=1")
                .then()
                .statusCode(200)
                .contentType("application/json");
        // java.net.http sends no Accept header at all
        Http.Response plain = Http.get(
                "http://127.0.0.1:" + RestAssured.port + "/audit/events?limit=1", TestStack.bearer(Tokens.VIEWER));
        assertEquals(200, plain.status(), plain.body());
        assertTrue(plain.body().startsWith("{\"items\":"), plain.body());
    }

    @Test
    void csvIsAnsweredWhenAskedForWithAHeaderRowAndOneRowPerEvent() {
        String csv = given().accept("text/csv")
                .get("/audit/events?cluster=" + cluster + "&node=db2")
                .then()
                .statusCode(200)
                .contentType(startsWith("text/csv"))
                .extract()
                .asString();
        String[] lines = csv.split("\r\n");
        assertEquals(2, lines.length, csv);
        assertTrue(lines[0].startsWith("seq,eventId,time,cluster,node,type"), lines[0]);
        assertTrue(lines[1].contains(",io.pgops.replication.node-promoted.v1,"), lines[1]);
        assertTrue(lines[1].contains("\"{\"\"cluster\"\":\"\"" + cluster + "\"\""), lines[1]);
    }

    @Test
    void everyBadParameterIsNamedInAProblemJson() {
        Map<String, String> bad = Map.of(
                "limit=0", "limit",
                "limit=1001", "limit",
                "cluster=Not_A_Cluster", "cluster",
                "type=node-unreachable", "type",
                "from=yesterday", "from",
                "to=2026-13-01T00:00:00Z", "to",
                "cursor=bm9wZQ", "cursor",
                "node=-x", "node",
                "from=2026-11-25T03:00:00Z&to=2026-11-25T02:00:00Z", "from");
        bad.forEach((query, field) -> given().get("/audit/events?" + query)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("violations[0].field", equalTo(field)));
        given().accept("text/csv")
                .get("/audit/events?limit=0")
                .then()
                .statusCode(400)
                .body("violations[0].field", equalTo("limit"));
    }

    @Test
    void anIncidentIsTheOrderedStoryOfOneFlowWithTheTimeBetweenSteps() {
        String flow = story.getFirst().correlationId();
        given().get("/audit/incidents/" + flow)
                .then()
                .statusCode(200)
                .body("correlationId", equalTo(flow))
                .body("cluster", equalTo(cluster))
                .body("durationMillis", equalTo(6500))
                .body("steps", hasSize(5))
                .body("steps[0].fact.type", equalTo("io.pgops.health.primary-unreachable.v1"))
                .body("steps[4].fact.type", equalTo("io.pgops.replication.failover-completed.v1"))
                .body("steps.sincePreviousMillis", equalTo(List.of(0, 500, 1000, 1000, 4000)))
                .body("steps[0].fact.principal", nullValue());
        given().get("/audit/incidents/no-such-flow")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("no-such-flow"));
    }

    @Test
    void recentIncidentsOfAClusterAndTheClustersOfTheRecentTrailAreListed() {
        given().get("/audit/clusters").then().statusCode(200).body("[0].cluster", equalTo(cluster));
        given().get("/audit/incidents?cluster=" + cluster)
                .then()
                .statusCode(200)
                .body("", hasSize(2))
                .body("[0].steps[0].fact.type", equalTo("io.pgops.replication.promote-requested.v1"))
                .body("[0].open", equalTo(true))
                .body("[0].waitingFor", containsString("failover-completed"))
                .body("[1].correlationId", equalTo(story.getFirst().correlationId()))
                .body("[1].open", equalTo(false));
        given().get("/audit/incidents?open=true&cluster=" + cluster)
                .then()
                .statusCode(200)
                .body("", hasSize(1))
                .body("[0].steps[0].fact.type", equalTo("io.pgops.replication.promote-requested.v1"));
        given().get("/audit/incidents?open=false&cluster=" + cluster)
                .then()
                .statusCode(200)
                .body("", hasSize(1))
                .body("[0].correlationId", equalTo(story.getFirst().correlationId()));
        given().get("/audit/incidents").then().statusCode(400).body("violations[0].field", equalTo("cluster"));
    }

    private static List<Object> types(List<Map<String, Object>> rows) {
        return rows.stream().map(r -> r.get("type")).toList();
    }

    /** Issue 20: the trail is for pgops roles only; the health check stays open. */
    @Test
    void theTrailNeedsAReadersTokenAndTheHealthCheckDoesNot() {
        RestAuth.anonymous();
        given().get("/audit/events").then().statusCode(401).contentType("application/problem+json");
        given().get("/audit/verify").then().statusCode(401);
        given().get("/q/metrics").then().statusCode(401);
        given().get("/q/health/live").then().statusCode(200);
        given().header(RestAuth.AUTHORIZATION, "Bearer " + Tokens.unknownKey().forRole(Tokens.VIEWER))
                .get("/audit/events")
                .then()
                .statusCode(401);
    }
}
