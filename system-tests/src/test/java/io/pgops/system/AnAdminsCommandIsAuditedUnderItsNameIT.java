package io.pgops.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgops.stack.Http;
import io.pgops.stack.auth.Tokens;
import io.pgops.stack.postgres.PgTopology;
import io.pgops.stack.testkit.TestStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 20, end to end with the services as processes: given the backup-service and the audit-service
 * verifying this run's token key, a command without a token or from a viewer is refused (401, 403) and
 * nothing is recorded; an admin's command is accepted, and the audit trail's row names the admin and its
 * roles, as the token said and not as any header claimed.
 */
class AnAdminsCommandIsAuditedUnderItsNameIT {
    static final double SLOW = Double.parseDouble(System.getProperty("pgops.test.slowness", "1"));
    static final Duration RECORDED = Duration.ofMillis((long) (30_000 * SLOW));
    static final String REQUESTED = "io.pgops.backup.backup-requested.v1";
    static final ObjectMapper JSON = new ObjectMapper();

    static TestStack stack;
    static String audit;
    static String backup;

    @BeforeAll
    static void startServices() {
        stack = TestStack.get();
        audit = stack.startService("audit-service", false, Map.of());
        backup = stack.startService(
                "backup-service",
                true,
                Map.of(
                        "pgops.backup.repository-root",
                        stack.dir().resolve("backups").toString(),
                        "pgops.backup.account.username",
                        PgTopology.REPLICATION_USER,
                        "pgops.backup.account.password-file",
                        stack.secrets().file(PgTopology.REPLICATION_USER).toString()));
    }

    @Test
    void givenAnAdminsTokenWhenItAsksForABackupThenTheAuditRowNamesTheAdminAndItsRoles() throws Exception {
        String reason = "issue 20 " + Instant.now();
        String body = "{\"reason\":\"" + reason + "\"}";
        Tokens tokens = stack.tokens();

        HttpResponse<String> anonymous = post(body, null);
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        assertTrue(anonymous.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertEquals(403, post(body, "Bearer " + tokens.forRole(Tokens.VIEWER)).statusCode());

        String admin = "Bearer " + tokens.mint("alice-admin@example.com", List.of(Tokens.ADMIN), Duration.ofMinutes(5));
        HttpResponse<String> accepted = post(body, admin);
        assertEquals(202, accepted.statusCode(), accepted.body());
        String correlation = JSON.readTree(accepted.body()).get("correlationId").asText();

        String viewer = "Bearer " + tokens.forRole(Tokens.VIEWER);
        JsonNode[] row = new JsonNode[1];
        await("the admin's BackupRequested in the audit trail")
                .atMost(RECORDED)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    Http.Response r = Http.get(audit + "/audit/events?cluster=it&type=" + REQUESTED, viewer);
                    if (r.status() != 200) {
                        return false;
                    }
                    for (JsonNode item : JSON.readTree(r.body()).get("items")) {
                        if (correlation.equals(item.get("correlationId").asText())) {
                            row[0] = item;
                        }
                    }
                    return row[0] != null;
                });
        assertEquals("alice-admin@example.com", row[0].get("principal").asText(), row[0].toString());
        assertEquals(Tokens.ADMIN, row[0].get("principalRoles").asText(), row[0].toString());
        assertEquals(reason, row[0].at("/data/reason").asText());

        // the refused requests published nothing: the only request with this reason is the admin's
        Http.Response all = Http.get(audit + "/audit/events?cluster=it&type=" + REQUESTED + "&limit=1000", viewer);
        long withReason = 0;
        for (JsonNode item : JSON.readTree(all.body()).get("items")) {
            if (reason.equals(item.at("/data/reason").asText())) {
                withReason++;
            }
        }
        assertEquals(1, withReason, all.body());
        assertEquals(401, Http.status(audit + "/audit/events"), "the trail is not open to anonymous callers");
    }

    private static HttpResponse<String> post(String json, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(backup + "/clusters/it/backups"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                // the header that used to name the principal names nobody any more
                .header("X-Pgops-Principal", "mallory")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
