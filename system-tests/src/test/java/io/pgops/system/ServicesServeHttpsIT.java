package io.pgops.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.stack.Http;
import io.pgops.stack.auth.Tokens;
import io.pgops.stack.process.Ports;
import io.pgops.stack.testkit.TestStack;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 20's HTTPS for the services, by configuration only (no build option): a service given a certificate and key
 * ({@link TestStack#httpsSettings}: a TLS configuration of the HTTP server's own, plain HTTP disabled) serves its API,
 * health and metrics over HTTPS verified against the CA, takes no plain HTTP, and a client that does not trust the CA
 * gets no answer. Two services of different kinds (one with a cluster inventory, one without), as every service
 * shares the service kit's HTTP set-up.
 */
class ServicesServeHttpsIT {
    static TestStack stack;
    static HttpClient trusting;
    static Map<String, String> urls = new LinkedHashMap<>();
    static Map<String, Integer> plainPorts = new LinkedHashMap<>();

    @BeforeAll
    static void startServicesOnHttps() {
        stack = TestStack.get();
        trusting = Http.trusting(stack.caCertificate());
        for (String service : java.util.List.of("audit-service", "health-service")) {
            int plain = Ports.free();
            Map<String, String> config = new LinkedHashMap<>(stack.httpsSettings(Ports.free()));
            config.put("quarkus.http.port", Integer.toString(plain));
            urls.put(
                    service, stack.startService(service + "-https", service, service.equals("health-service"), config));
            plainPorts.put(service, plain);
        }
    }

    private static HttpResponse<String> get(HttpClient client, String url, String role) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
        if (role != null) {
            b.header("Authorization", "Bearer " + stack.tokens().forRole(role));
        }
        return client.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theApiHealthAndMetricsAnswerOverHttpsVerifiedAgainstTheCa() throws Exception {
        String audit = urls.get("audit-service");
        String health = urls.get("health-service");
        assertTrue(audit.startsWith("https://127.0.0.1:"), audit);
        assertEquals(200, get(trusting, audit + "/q/health/ready", null).statusCode());
        assertEquals(200, get(trusting, health + "/q/health/ready", null).statusCode());
        HttpResponse<String> metrics = get(trusting, health + "/q/metrics", Tokens.VIEWER);
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("pgops_health_"), "health metrics over HTTPS");
        HttpResponse<String> events = get(trusting, audit + "/audit/events?cluster=it", Tokens.VIEWER);
        assertEquals(200, events.statusCode(), events.body());
        assertEquals(
                401, get(trusting, audit + "/audit/events?cluster=it", null).statusCode(), "still authenticated");
    }

    @Test
    void plainHttpIsNotServed() {
        for (Map.Entry<String, Integer> e : plainPorts.entrySet()) {
            String url = "http://127.0.0.1:" + e.getValue() + "/q/health/ready";
            assertThrows(
                    ConnectException.class,
                    () -> get(HttpClient.newHttpClient(), url, null),
                    e.getKey() + " answered plain HTTP on " + url);
        }
    }

    @Test
    void theOnCallVerbsReachAServiceOnHttpsWithTheCaNamedInTheirEnvironment() {
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "PGOPS_AUDIT_URL", urls.get("audit-service"),
                "PGOPS_TOKEN", stack.tokens().forRole(Tokens.VIEWER),
                "PGOPS_CA_FILE", stack.caCertificate().toString()));
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int status = io.pgops.stack.ops.OpsCli.run(
                new String[] {"audit", "tail", "--json"},
                new java.io.PrintWriter(out, true),
                new java.io.PrintWriter(err, true),
                env);
        assertEquals(0, status, "audit tail over HTTPS with the CA: " + err);

        env.remove("PGOPS_CA_FILE"); // the JVM's trust store does not know the stack's CA
        java.io.StringWriter err2 = new java.io.StringWriter();
        int refused = io.pgops.stack.ops.OpsCli.run(
                new String[] {"audit", "tail", "--json"},
                new java.io.PrintWriter(new java.io.StringWriter(), true),
                new java.io.PrintWriter(err2, true),
                env);
        assertEquals(1, refused, "audit tail over HTTPS without the CA: " + err2);
        assertTrue(err2.toString().contains("does not answer"), err2.toString());
    }

    @Test
    void aClientThatDoesNotTrustTheCaGetsNoAnswer() {
        HttpClient systemTrust =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        assertThrows(
                SSLHandshakeException.class,
                () -> get(systemTrust, urls.get("audit-service") + "/q/health/ready", null));
    }
}
