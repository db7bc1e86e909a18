package io.pgops.replication.service;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.DeserializationFeature;
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
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** The coordinator's calls to the agents, over their HTTP interface, each with the coordinator's term. */
@ApplicationScoped
public class AgentClient {
    /** {@link AgentCallException#status} of an operation that was sent and whose end was not seen. */
    public static final int OUTCOME_UNKNOWN = -1;

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RUNNING_POLL = Duration.ofMillis(200);

    /**
     * An agent refused or failed an operation: {@code status} is the agent's HTTP status (409 a term
     * refusal or an expired command), 0 when it was surely not run (no agent reached), or
     * {@link #OUTCOME_UNKNOWN}.
     */
    public static final class AgentCallException extends RuntimeException {
        public final int status;

        AgentCallException(int status, String message) {
            super(message);
            this.status = status;
        }

        /** The operation may have run, or may still run: nothing may be done that assumes it did not. */
        public boolean outcomeUnknown() {
            return status == OUTCOME_UNKNOWN;
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
        this.json = tolerant(json);
    }

    /**
     * The application's mapper (strict, for request bodies) made tolerant of another version's reports: during
     * a rolling upgrade an agent may send a field this coordinator does not know, or lack one it does; refusing
     * the report would make a healthy node look unreachable. Types are still not coerced.
     */
    static ObjectMapper tolerant(ObjectMapper strict) {
        return strict.copy()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    public Optional<String> url(ClusterId cluster, NodeName node) {
        Inventory.Cluster c = inventory.clusters().get(cluster.value());
        Inventory.Node n = c == null ? null : c.nodes().get(node.value());
        return n == null ? Optional.empty() : n.agentUrl().map(u -> u.replaceAll("/+$", ""));
    }

    /**
     * Every node's report, and for each node whose agent did not answer within 1.5 s or answered what
     * could not be read, the reason (a node is never dropped as a candidate without one).
     */
    public record Reports(Map<NodeName, AgentReport> reports, Map<NodeName, String> unanswered) {}

    /** Every node's report, asked in parallel. */
    public Reports reports(ClusterId cluster, List<NodeName> nodes) {
        Map<NodeName, CompletableFuture<HttpResponse<byte[]>>> calls = new LinkedHashMap<>();
        Map<NodeName, String> unanswered = new HashMap<>();
        for (NodeName n : nodes) {
            Optional<String> u = url(cluster, n);
            if (u.isEmpty()) {
                unanswered.put(n, "no agent-url in the inventory");
                continue;
            }
            calls.put(
                    n,
                    http.sendAsync(
                            HttpRequest.newBuilder(URI.create(u.get() + "/agent/status"))
                                    .timeout(Duration.ofMillis(1500))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray()));
        }
        Map<NodeName, AgentReport> reports = new HashMap<>();
        calls.forEach((n, f) -> {
            try {
                HttpResponse<byte[]> r = f.join();
                if (r.statusCode() == 200) {
                    reports.put(n, json.readValue(r.body(), AgentReport.class));
                } else {
                    unanswered.put(n, "HTTP " + r.statusCode() + " " + firstLine(new String(r.body(), UTF_8)));
                }
            } catch (java.util.concurrent.CompletionException e) {
                Throwable c = e.getCause() == null ? e : e.getCause();
                unanswered.put(n, c.getClass().getSimpleName() + ": " + c.getMessage());
            } catch (RuntimeException | IOException e) {
                unanswered.put(n, "unreadable report: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        });
        return new Reports(reports, unanswered);
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int i = t.indexOf('\n');
        t = i < 0 ? t : t.substring(0, i);
        return t.length() > 200 ? t.substring(0, 200) + "…" : t;
    }

    /** How the agent stopped a node, and its shutdown checkpoint only when it shut down cleanly. */
    public record Fence(String mode, String clusterState, Lsn shutdownCheckpoint) {}

    public Fence fence(ClusterId cluster, NodeName node, Term term) {
        JsonNode r = call(cluster, node, "fence", body(term, null, null, null, null));
        JsonNode lsn = r.path("checkpointLsn");
        return new Fence(
                r.path("mode").asText("fast"),
                r.path("clusterState").asText("unknown"),
                lsn.isTextual() ? Lsn.parse(lsn.asText()) : null);
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

    /**
     * One operation on an agent, under an operation id of its own and a deadline by which it must start.
     * When a request times out (a promotion that waits for replay can outlast it) the same operation id
     * is asked again: the agent answers "running" or the outcome, never runs it twice. The wait ends
     * after {@code agent-timeout}; an operation whose end was not seen then is "outcome unknown", which
     * the caller must not treat as "did not happen".
     */
    private JsonNode call(ClusterId cluster, NodeName node, String op, Map<String, Object> body) {
        String u = url(cluster, node)
                .orElseThrow(() -> new AgentCallException(0, node + " has no agent-url in the inventory"));
        String id = UUID.randomUUID().toString();
        body.put("operationId", id);
        body.put("deadline", Instant.now().plus(config.commandDeadline()).toString());
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new AgentCallException(0, node + ": " + op + ": " + e.getMessage());
        }
        long giveUp = System.nanoTime() + config.agentTimeout().toNanos();
        boolean sent = false;
        String last = "no answer";
        while (true) {
            long left = giveUp - System.nanoTime();
            if (left <= 0) {
                throw new AgentCallException(
                        sent ? OUTCOME_UNKNOWN : 0,
                        node + ": " + op + " (operation " + id + "): no outcome within " + config.agentTimeout() + " ("
                                + last + ")");
            }
            try {
                HttpResponse<byte[]> r = http.send(
                        HttpRequest.newBuilder(URI.create(u + "/agent/" + op))
                                .timeout(Duration.ofNanos(Math.min(left, REQUEST_TIMEOUT.toNanos())))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                sent = true;
                JsonNode answer = r.body().length == 0 ? json.nullNode() : json.readTree(r.body());
                if (r.statusCode() == 202
                        && "running".equals(answer.path("state").asText())) {
                    last = "still running";
                    pause(RUNNING_POLL);
                    continue;
                }
                if (r.statusCode() != 200) {
                    String detail =
                            answer.path("detail").asText(answer.path("title").asText("HTTP " + r.statusCode()));
                    throw new AgentCallException(r.statusCode(), node + ": " + op + ": " + detail);
                }
                return answer;
            } catch (java.net.ConnectException e) {
                if (!sent) {
                    throw new AgentCallException(0, node + ": " + op + ": agent not reachable: " + e.getMessage());
                }
                last = "agent not reachable since: " + e.getMessage();
                pause(RUNNING_POLL);
            } catch (IOException e) { // a timeout or a broken connection: the operation may be running
                sent = true;
                last = e.getClass().getSimpleName() + ": " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AgentCallException(sent ? OUTCOME_UNKNOWN : 0, node + ": " + op + ": interrupted");
            }
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
