package io.pgops.stack.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Function;

/**
 * The services' REST APIs as the ops CLI calls them: JSON in and out, a bearer token on every call, and a
 * refusal turned into one line from the server's problem+json ({@link Failure}).
 */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final HttpClient SYSTEM_TRUST =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private final Endpoints endpoints;
    private final Function<String, String> tokenForRole;
    private final HttpClient client;

    /**
     * {@code tokenForRole}: the bearer token to send for a call that needs at least that role; {@code caFile}: the CA
     * (PEM) that services on HTTPS are verified with instead of the JVM's trust store, or null.
     */
    Api(Endpoints endpoints, Function<String, String> tokenForRole, String caFile) {
        this.endpoints = endpoints;
        this.tokenForRole = tokenForRole;
        this.client = caFile == null || caFile.isBlank()
                ? SYSTEM_TRUST
                : io.pgops.stack.Http.trusting(java.nio.file.Path.of(caFile));
    }

    /** A call the server refused or that could not be made: the message is the line to print. */
    static final class Failure extends RuntimeException {
        final int status;

        Failure(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    JsonNode get(String service, String path, String role) {
        return send(service, path, role, HttpRequest.newBuilder().GET(), Duration.ofSeconds(15));
    }

    JsonNode post(String service, String path, String role, Object body, Duration timeout) {
        try {
            return send(
                    service,
                    path,
                    role,
                    HttpRequest.newBuilder()
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))),
                    timeout);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode send(String service, String path, String role, HttpRequest.Builder b, Duration timeout) {
        String url = endpoints.url(service) + path;
        HttpResponse<String> r;
        try {
            r = client.send(
                    b.uri(URI.create(url))
                            .timeout(timeout)
                            .header("Accept", "application/json")
                            .header("Authorization", "Bearer " + tokenForRole.apply(role))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Failure(-1, service + " does not answer at " + endpoints.url(service) + " (" + e + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(-1, "interrupted");
        }
        JsonNode body;
        try {
            body = r.body() == null || r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            body = JSON.createObjectNode().put("detail", r.body());
        }
        if (r.statusCode() >= 400) {
            throw new Failure(r.statusCode(), problem(r.statusCode(), body));
        }
        return body;
    }

    /** "409 Refused: no-candidate: …" from a problem+json body (or what there is). */
    static String problem(int status, JsonNode body) {
        StringBuilder sb = new StringBuilder().append(status);
        if (body.hasNonNull("title")) {
            sb.append(' ').append(body.get("title").asText());
        }
        if (body.hasNonNull("detail")) {
            sb.append(": ").append(body.get("detail").asText());
        }
        if (body.has("violations")) {
            body.get("violations")
                    .forEach(v -> sb.append("; ")
                            .append(v.path("field").asText())
                            .append(' ')
                            .append(v.path("message").asText()));
        }
        return sb.toString();
    }
}
