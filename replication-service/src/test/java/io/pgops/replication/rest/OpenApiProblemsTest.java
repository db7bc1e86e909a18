package io.pgops.replication.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgops.stack.auth.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document says what the command endpoints answer to a body or parameter they refuse: 400
 * application/problem+json, with the problem's shape (service-kit's ProblemResponses filter).
 */
@QuarkusTest
@QuarkusTestResource(value = CommandsOnlyResource.class, restrictToAnnotatedClass = true)
class OpenApiProblemsTest {
    static final String PROBLEM_JSON = "application/problem+json";
    static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    JsonNode document;

    @BeforeEach
    void fetchTheDocument() throws Exception {
        String body = given().header("Authorization", CommandsOnlyResource.TOKENS.bearer(Tokens.VIEWER))
                .when()
                .get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        document = new ObjectMapper().readTree(body);
    }

    private JsonNode badRequest(String path, String method) {
        JsonNode op = document.path("paths").path(path).path(method);
        assertFalse(op.isMissingNode(), method.toUpperCase() + " " + path + " is documented");
        return op.path("responses").path("400");
    }

    @Test
    void aSwitchoverDeclaresA400ProblemJsonAnswer() {
        JsonNode answer = badRequest("/clusters/{id}/switchover", "post");
        assertFalse(answer.isMissingNode(), "POST /clusters/{id}/switchover declares 400: " + answer);
        assertTrue(answer.path("description").asText().contains("not the documented JSON"), answer.toString());
        assertEquals(
                "#/components/schemas/Problem",
                answer.path("content")
                        .path(PROBLEM_JSON)
                        .path("schema")
                        .path("$ref")
                        .asText(),
                answer.toString());
    }

    @Test
    void everyOperationWithABodyOrAParameterDeclaresA400ProblemJsonAnswerAndOnlyThose() {
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        int reading = 0;
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            boolean pathParameters = !path.getValue().path("parameters").isEmpty();
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                if (!METHODS.contains(op.getKey())) {
                    continue;
                }
                String name = op.getKey().toUpperCase() + " " + path.getKey();
                boolean reads = op.getValue().has("requestBody")
                        || pathParameters
                        || !op.getValue().path("parameters").isEmpty();
                boolean declared = op.getValue()
                        .path("responses")
                        .path("400")
                        .path("content")
                        .has(PROBLEM_JSON);
                if (reads) {
                    reading++;
                    if (!declared) {
                        missing.add(name);
                    }
                } else if (declared) {
                    unexpected.add(name);
                }
            }
        }
        assertTrue(reading >= 12, "the commands and the agents' operations read input: " + reading);
        assertEquals(List.of(), missing, "operations reading input without a 400 problem+json");
        assertEquals(List.of(), unexpected, "operations reading nothing that declare a 400");
        assertTrue(badRequest("/clusters", "get").isMissingNode(), "GET /clusters reads nothing");
    }

    @Test
    void theProblemSchemaIsTheShapeTheServicesWrite() {
        JsonNode problem = document.path("components").path("schemas").path("Problem");
        assertNotNull(problem.get("properties"), "components.schemas.Problem: " + problem);
        List<String> properties = new ArrayList<>();
        problem.path("properties").fieldNames().forEachRemaining(properties::add);
        assertEquals(List.of("type", "title", "status", "detail", "violations"), properties);
        assertEquals("integer", problem.at("/properties/status/type").asText());
        JsonNode violation = problem.at("/properties/violations/items/properties");
        assertTrue(violation.has("field") && violation.has("message"), violation.toString());
    }
}
