package io.pgops.replication.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Term;
import io.pgops.kit.inventory.Inventory;
import io.pgops.replication.config.CoordinatorConfig;
import io.pgops.replication.domain.AgentReport;
import io.pgops.replication.domain.RejoinOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The coordinator's calls to the agents, over their HTTP interface, each with the coordinator's term. */
@ApplicationScoped
public class AgentClient {
    /** An agent refused or failed an operation; {@code status} 409 means a term refusal. */
    public static final class AgentCallException extends RuntimeException {
        public final int status;

        AgentCallException(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private final Inventory inventory;
    private final CoordinatorConfig config;
    private final ObjectMapper json;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    public AgentClient(Inventory inventory, CoordinatorConfig config, ObjectMapper json) {
        this.inventory = inventory;
        this.config = config;
        this.json = json;
    }

    public Optional<String> url(ClusterId cluster, NodeName node) {
        Inventory.Cluster c = inventory.clusters().get(cluster.value());
        Inventory.Node n = c == null ? null : c.nodes().get(node.value());
        return n == null ? Optional.empty() : n.agentUrl().map(u -> u.replaceAll("/+$", ""));
    }

    /** Every node's report, asked in parallel; a node whose agent did not answer within 1.5 s is missing. */
    public Map<NodeName, AgentReport> reports(ClusterId cluster, List<NodeName> nodes) {
        Map<NodeName, CompletableFuture<HttpResponse<byte[]>>> calls = new LinkedHashMap<>();
        for (NodeName n : nodes) {
            url(cluster, n)
                    .ifPresent(u -> calls.put(
                            n,
                            http.sendAsync(
                                    HttpRequest.newBuilder(URI.create(u + "/agent/status"))
                                            .timeout(Duration.ofMillis(1500))
                                            .GET()
                                            .build(),
                                    HttpResponse.BodyHandlers.ofByteArray())));
        }
        Map<NodeName, AgentReport> reports = new HashMap<>();
        calls.forEach((n, f) -> {
            try {
                HttpResponse<byte[]> r = f.join();
                if (r.statusCode() == 200) {
                    reports.put(n, json.readValue(r.body(), AgentReport.class));
                }
            } catch (RuntimeException | IOException e) {
                // not answering: missing from the map
            }
        });
        return reports;
    }

    public Lsn fence(ClusterId cluster, NodeName node, Term term) {
        JsonNode r = call(cluster, node, "fence", body(term, null, null, null, null));
        return Lsn.parse(r.get("checkpointLsn").asText());
    }

    /** The result of a promotion as the agent reports it. */
    public record Promotion(long previousTimeline, long newTimeline, String switchLsn, long promotionMillis) {}

    public Promotion promote(ClusterId cluster, NodeName node, Term term, Lsn waitPast, String syncNames) {
        JsonNode r = call(
                cluster,
                node,
                "promote",
                body(term, null, waitPast == null ? null : waitPast.format(), syncNames, null));
        return json.convertValue(r, Promotion.class);
    }

    public void follow(ClusterId cluster, NodeName node, Term term, NodeName primary) {
        call(cluster, node, "follow", body(term, primary, null, null, null));
    }

    public RejoinOutcome rejoin(ClusterId cluster, NodeName node, Term term, NodeName primary) {
        return json.convertValue(
                call(cluster, node, "rejoin", body(term, primary, null, null, null)), RejoinOutcome.class);
    }

    public RejoinOutcome reinit(ClusterId cluster, NodeName node, Term term, NodeName primary) {
        return json.convertValue(
                call(cluster, node, "reinit", body(term, primary, null, null, null)), RejoinOutcome.class);
    }

    public void start(ClusterId cluster, NodeName node, Term term) {
        call(cluster, node, "start", body(term, null, null, null, null));
    }

    public void configure(ClusterId cluster, NodeName node, Term term, String syncNames, List<String> slots) {
        call(cluster, node, "configure", body(term, null, null, syncNames, slots));
    }

    private static Map<String, Object> body(
            Term term, NodeName primary, String waitPast, String sync, List<String> slots) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("term", term.value());
        if (primary != null) {
            b.put("primary", primary.value());
        }
        if (waitPast != null) {
            b.put("waitPast", waitPast);
        }
        if (sync != null) {
            b.put("synchronousStandbyNames", sync);
        }
        if (slots != null) {
            b.put("slots", slots);
        }
        return b;
    }

    private JsonNode call(ClusterId cluster, NodeName node, String op, Map<String, Object> body) {
        String u = url(cluster, node)
                .orElseThrow(() -> new AgentCallException(0, node + " has no agent-url in the inventory"));
        try {
            HttpResponse<byte[]> r = http.send(
                    HttpRequest.newBuilder(URI.create(u + "/agent/" + op))
                            .timeout(config.agentTimeout())
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            JsonNode answer = r.body().length == 0 ? json.nullNode() : json.readTree(r.body());
            if (r.statusCode() != 200) {
                String detail =
                        answer.path("detail").asText(answer.path("title").asText("HTTP " + r.statusCode()));
                throw new AgentCallException(r.statusCode(), node + ": " + op + ": " + detail);
            }
            return answer;
        } catch (IOException e) {
            throw new AgentCallException(0, node + ": " + op + ": agent not reachable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentCallException(0, node + ": " + op + ": interrupted");
        }
    }
}
