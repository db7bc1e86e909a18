package io.pgops.replication.it;

import static io.pgops.replication.it.ReplicationHarness.json;
import static io.pgops.replication.it.ReplicationHarness.post;
import static io.pgops.replication.it.ReplicationHarness.scaled;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgops.stack.postgres.PgNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * Issue 20's HTTPS where it matters most: the agents, which stop, promote and rewind PostgreSQL. A cluster whose agents
 * serve HTTPS only (the stack's certificate): the coordinator reaches them through its TLS configuration named {@code
 * agents} (the stack's CA), HAProxy checks their {@code /primary} over TLS, and a switchover under a writer through
 * PgBouncer loses no acknowledged row; an agent takes no plain HTTP, and a client without the CA gets no answer.
 */
class AgentsOverHttpsIT {
    @Test
    void aSwitchoverRunsWithTheAgentsOnHttpsOnly() throws Exception {
        ReplicationHarness h = new ReplicationHarness("tls", 1, i -> Map.of(), 0, true);
        try {
            h.awaitSettledOn(h.name(1));
            String primaryAgent = h.door.agentUrls().get(h.name(1));
            assertTrue(primaryAgent.startsWith("https://127.0.0.1:"), primaryAgent);
            // the topology settles before the primary's first lease grant reaches its agent: until then 503
            String[] lastAnswer = {""};
            try {
                await("/primary of " + h.name(1) + " over TLS to answer 200")
                        .atMost(scaled(Duration.ofSeconds(30)))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> {
                            HttpResponse<String> r = ReplicationHarness.get(primaryAgent + "/primary");
                            lastAnswer[0] = r.statusCode() + " " + r.body();
                            return r.statusCode() == 200;
                        });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("/primary over TLS last answered " + lastAnswer[0], e);
            }

            HttpRequest health = HttpRequest.newBuilder(URI.create(primaryAgent + "/health"))
                    .timeout(Duration.ofSeconds(5))
                    .build();
            HttpClient systemTrust = HttpClient.newHttpClient();
            assertThrows(
                    SSLHandshakeException.class,
                    () -> systemTrust.send(health, HttpResponse.BodyHandlers.discarding()),
                    "a client without the stack's CA was answered");
            HttpRequest plain = HttpRequest.newBuilder(URI.create(primaryAgent.replace("https:", "http:") + "/health"))
                    .timeout(Duration.ofSeconds(5))
                    .build();
            assertThrows(
                    java.io.IOException.class,
                    () -> systemTrust.send(plain, HttpResponse.BodyHandlers.discarding()),
                    "an agent on HTTPS answered plain HTTP on its port");

            PgNode to = h.node(2);
            try (ReplicationHarness.Writer w = h.new Writer("tls_load")) {
                w.awaitAcked(20); // through PgBouncer and HAProxy, whose checks of /primary go over TLS
                HttpResponse<String> r = post(
                        h.api() + "/clusters/tls/switchover?wait=120",
                        "{\"target\":\"" + to.name() + "\",\"reason\":\"agents on HTTPS\"}",
                        null);
                assertEquals(200, r.statusCode(), r.body());
                JsonNode body = json(r);
                assertEquals("completed", body.path("status").asText(), r.body());
                assertEquals(to.name(), body.path("outcome").path("newPrimary").asText());
                w.awaitAcked(20); // the write port followed: HAProxy saw the new primary's agent over TLS
                w.close();
                h.awaitSettledOn(to.name());
                assertEquals(
                        List.of(),
                        ReplicationHarness.missing(to, "tls_load", w.acked),
                        "acknowledged rows missing after the switchover");
            }
            assertEquals("primary", to.role());
        } finally {
            h.release();
        }
    }
}
