package io.pgops.stack.testkit;

import io.pgops.stack.auth.Tokens;
import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.config.HeaderConfig;
import java.time.Duration;
import java.util.List;

/**
 * Bearer tokens for the RestAssured requests of a {@code @QuarkusTest} whose service verifies this run's key
 * ({@link PgopsTestResource}, or any test resource that passes {@link Tokens#serviceConfig()}). Call
 * {@link #as} in {@code @BeforeEach} and {@link #anonymous} in {@code @AfterEach}; a request that sets its
 * own {@code Authorization} header ({@link #header}) replaces the default one.
 */
public final class RestAuth {
    public static final String AUTHORIZATION = "Authorization";

    private RestAuth() {}

    /** Every RestAssured request of this JVM sends a token of {@code role} from now on. */
    public static void as(Tokens tokens, String role) {
        RestAssured.config =
                RestAssured.config().headerConfig(HeaderConfig.headerConfig().overwriteHeadersWithName(AUTHORIZATION));
        RestAssured.requestSpecification = new RequestSpecBuilder()
                .addHeader(AUTHORIZATION, tokens.bearer(role))
                .build();
    }

    /** As {@link #as(Tokens, String)} with the shared {@link TestStack}'s tokens. */
    public static void as(String role) {
        as(TestStack.get().tokens(), role);
    }

    /** Requests send no token any more. */
    public static void anonymous() {
        RestAssured.requestSpecification = null;
    }

    /** The {@code Authorization} value naming {@code principal} with {@code role}, from the shared stack's key. */
    public static String header(String principal, String role) {
        return "Bearer " + TestStack.get().tokens().mint(principal, List.of(role), Duration.ofHours(1));
    }
}
