package io.pgops.replication.rest;

import static io.restassured.RestAssured.given;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The one opt-out of issue 20: a deployment whose Prometheus cannot send a token may open {@code /q/metrics}
 * (and {@code /q/openapi}) by configuration, visibly; the commands and reads stay closed.
 */
@QuarkusTest
@TestProfile(MetricsOpenedByConfigTest.OpenMetrics.class)
@QuarkusTestResource(value = CommandsOnlyResource.class, restrictToAnnotatedClass = true)
class MetricsOpenedByConfigTest {
    public static class OpenMetrics implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.auth.permission.pgops-surfaces.policy", "permit");
        }
    }

    @Test
    void metricsAreOpenAndTheRestIsNot() {
        given().get("/q/metrics").then().statusCode(200);
        given().get("/clusters").then().statusCode(401);
        given().contentType("application/json")
                .body("{\"reason\":\"test\"}")
                .post("/clusters/local/pause")
                .then()
                .statusCode(401);
    }
}
