package io.pgops.audit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.stack.testkit.TestStack;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;

/** Reads the trail over HTTP and touches the database as its superuser, for the tests. */
public final class Trail {
    private Trail() {}

    public static List<Map<String, Object>> events(String query) {
        return given().accept("application/json")
                .get("/audit/events?" + query)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items");
    }

    public static JsonPath verify(String query) {
        return given().get("/audit/verify?" + query)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** Verifies the chain from the first of {@code rows} on: intact, and at least the rows checked. */
    public static void assertIntactFrom(List<Map<String, Object>> rows) {
        long first = rows.stream()
                .mapToLong(r -> ((Number) r.get("seq")).longValue())
                .min()
                .orElseThrow();
        JsonPath v = verify("from=" + first);
        assertTrue(v.getBoolean("intact"), v.prettify());
        assertTrue(v.getLong("checked") >= rows.size(), v.prettify());
    }

    /** Runs SQL in database pgops as the PostgreSQL superuser (psql output, unaligned). */
    public static String superuser(String sql) {
        return TestStack.get().pgopsDb().sql("\\connect pgops\n" + sql);
    }
}
