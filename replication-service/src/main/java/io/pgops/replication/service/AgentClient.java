package io.pgops.replication.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Term;
import io.pgops.events.model.Timeline;
import io.pgops.events.replication.NodePromoted;
import io.pgops.kit.inventory.Inventory;
import io.pgops.replication.config.CoordinatorConfig;
import io.pgops.replication.domain.AgentCredential;
import io.pgops.replication.domain.AgentReport;
import io.pgops.replication.domain.RejoinOutcome;
import io.pgops.replication.rest.AgentApi;
import io.pgops.replication.rest.AgentApi.Command;
import io.quarkus.tls.TlsConfigurationRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolationException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The coordinator's calls to the agents, each with the coordinator's term: {@link AgentApi} as a Quarkus
 * REST client per agent base URL. Every method blocks its caller (the coordinator's own threads, platform
 * or virtual; never an event loop) until the agent's outcome. Every call carries the coordinators' credential
 * ({@link AgentCredential}), signed for that node, operation and command.
 */
@ApplicationScoped
public class AgentClient {
    /** {@link AgentCallException#status} of an operation that was sent and whose end was not seen. */
    public static final int OUTCOME_UNKNOWN = -1;

    private static final Logger LOG = Logger.getLogger(AgentClient.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration REPORT_TIMEOUT = Duration.ofMillis(1500);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RUNNING_POLL = Duration.ofMillis(200);
    /**
     * How long an agent that was sent an operation may refuse connections before the call ends as "outcome
     * unknown". Nothing listens on its port: the process that held the operation is gone, and with it its memory
     * of the operation ({@link Operations}), so waiting for the rest of {@code agent-timeout} learns nothing while
     * the caller (a cluster's only decision loop) waits; a restarted agent is asked anew by the caller's next look.
     */
    static final Duration GONE_GRACE = Duration.ofSeconds(1);

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
    private final AgentClients clients;
    private final AgentCommandKeys keys;
    /** Report credentials by audience, reused for half their validity (the loop asks every node often). */
    private final Map<String, StatusCredential> statusCredentials = new ConcurrentHashMap<>();

    private record StatusCredential(String token, long renewAfterNanos) {}

    /** Agents on HTTPS are verified with the TLS configuration named {@code agents}, if any; else the JVM's trust. */
    @Inject
    AgentClient(
            Inventory inventory,
            CoordinatorConfig config,
            ObjectMapper json,
            AgentCommandKeys keys,
            TlsConfigurationRegistry registry) {
        this.inventory = inventory;
        this.config = config;
        this.json = tolerant(json);
        this.clients = new AgentClients(this.json, CONNECT_TIMEOUT, registry.get(AgentClients.TLS_NAME));
        this.keys = keys;
    }

    /** An agent operation as called on the REST client: credential and command. */
    @FunctionalInterface
    private interface Operation<T> {
        T call(AgentApi api, String credential, Command command);
    }

    private String statusCredential(ClusterId cluster, NodeName node) {
        String audience = AgentCredential.audience(cluster.value(), node.value());
        long now = System.nanoTime();
        StatusCredential c = statusCredentials.get(audience);
        if (c == null || now - c.renewAfterNanos() > 0) {
            c = new StatusCredential(
                    keys.sign(AgentCredential.forStatus(audience)),
                    now + keys.ttl().toNanos() / 2);
            statusCredentials.put(audience, c);
        }
        return c.token();
    }

    @PreDestroy
    void closeClients() {
        clients.closeAll();
    }

    /**
     * The application's mapper (strict, for request bodies) made tolerant of another version's reports: during
     * a rolling upgrade an agent may send a field this coordinator does not know, or lack one it does; refusing
     * the report would make a healthy node look unreachable. Types are still not coerced. The REST clients
     * read every answer with it; the agent reads commands with the strict one.
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
        Map<NodeName, CompletableFuture<AgentReport>> calls = new LinkedHashMap<>();
        Map<NodeName, String> unanswered = new HashMap<>();
        for (NodeName n : nodes) {
            Optional<String> u = url(cluster, n);
            if (u.isEmpty()) {
                unanswered.put(n, "no agent-url in the inventory");
                continue;
            }
            try {
                String credential = statusCredential(cluster, n);
                calls.put(
                        n,
                        clients.client(u.get(), REPORT_TIMEOUT)
                                .status(credential)
                                .ifNoItem()
                                .after(REPORT_TIMEOUT)
                                .failWith(() -> new java.util.concurrent.TimeoutException(
                                        "no report within " + REPORT_TIMEOUT.toMillis() + " ms"))
                                .subscribeAsCompletionStage());
            } catch (RuntimeException e) { // e.g. an agent-url that is no URL, or no signing key
                unanswered.put(n, AgentClients.describe(e));
            }
        }
        Map<NodeName, AgentReport> reports = new HashMap<>();
        calls.forEach((n, f) -> {
            try {
                AgentReport r = f.join();
                if (r == null) {
                    unanswered.put(n, "unreadable report: an empty body");
                } else {
                    reports.put(n, r);
                }
            } catch (CompletionException e) {
                Throwable c = e.getCause() == null ? e : e.getCause();
                if (c instanceof AgentClients.Answered a) {
                    unanswered.put(n, "HTTP " + a.status + " " + AgentClients.firstLine(a.body));
                } else if (AgentClients.unreadable(c)) {
                    unanswered.put(n, "unreadable report: " + AgentClients.describe(c));
                } else {
                    unanswered.put(n, AgentClients.describe(c));
                }
            }
        });
        return new Reports(reports, unanswered);
    }

    /** How the agent stopped a node, and its shutdown checkpoint only when it shut down cleanly. */
    public record Fence(String mode, String clusterState, Lsn shutdownCheckpoint) {}

    public Fence fence(ClusterId cluster, NodeName node, Term term) {
        AgentApi.Fenced f = call(cluster, node, "fence", term, Fields.NONE, AgentApi::fence);
        return f == null
                ? new Fence("fast", "unknown", null)
                : new Fence(
                        f.mode() == null ? "fast" : f.mode(),
                        f.clusterState() == null ? "unknown" : f.clusterState(),
                        f.checkpointLsn());
    }

    /** The result of a promotion as the agent reports it. */
    public record Promotion(long previousTimeline, long newTimeline, String switchLsn, long promotionMillis) {

        public Timeline newTl() {
            return Timeline.of(newTimeline);
        }

        public Lsn switchAt() {
            return Lsn.parse(switchLsn);
        }

        /**
         * The promotion as the event that records it. A retried promotion of a node that is already primary reports
         * no previous timeline of its own: the one before its new timeline stands in.
         */
        public NodePromoted event(ClusterId cluster, Term term, NodeName node) {
            Timeline previous = previousTimeline < newTimeline
                    ? Timeline.of(previousTimeline)
                    : Timeline.of(Math.max(1, newTimeline - 1));
            return new NodePromoted(
                    cluster, term, node, previous, newTl(), switchAt(), promotionMillis, OwnedCluster.now());
        }
    }

    public Promotion promote(ClusterId cluster, NodeName node, Term term, Lsn waitPast, String syncNames) {
        return promotion(
                call(cluster, node, "promote", term, new Fields(null, waitPast, syncNames, null), AgentApi::promote));
    }

    /** The agent's answer as the coordinator uses it (a field an older agent lacks reads as 0 or null). */
    static Promotion promotion(AgentNode.Promotion p) {
        if (p == null) {
            return null;
        }
        return new Promotion(
                p.previousTimeline() == null ? 0 : p.previousTimeline().value(),
                p.newTimeline() == null ? 0 : p.newTimeline().value(),
                p.switchLsn() == null ? null : p.switchLsn().format(),
                p.promotionMillis());
    }

    public void follow(ClusterId cluster, NodeName node, Term term, NodeName primary) {
        call(cluster, node, "follow", term, Fields.primary(primary), AgentApi::follow);
    }

    public RejoinOutcome rejoin(ClusterId cluster, NodeName node, Term term, NodeName primary) {
        return call(cluster, node, "rejoin", term, Fields.primary(primary), AgentApi::rejoin);
    }

    public RejoinOutcome reinit(ClusterId cluster, NodeName node, Term term, NodeName primary) {
        return call(cluster, node, "reinit", term, Fields.primary(primary), AgentApi::reinit);
    }

    public void start(ClusterId cluster, NodeName node, Term term) {
        call(cluster, node, "start", term, Fields.NONE, AgentApi::start);
    }

    public void configure(ClusterId cluster, NodeName node, Term term, String syncNames, List<String> slots) {
        call(cluster, node, "configure", term, new Fields(null, null, syncNames, slots), AgentApi::configure);
    }

    /**
     * The coordinators' signed statement that {@code node} was granted a lease under {@code term} (see {@code
     * LeaseGranted.credential}); null when this instance holds no signing key.
     */
    public String leaseCredential(ClusterId cluster, NodeName node, Term term) {
        if (!keys.canSign()) {
            return null;
        }
        return keys.signLease(
                AgentCredential.forLease(AgentCredential.audience(cluster.value(), node.value()), term.value()));
    }

    /**
     * The failsafe's question to another agent of the cluster, with the primary's last lease credential: null when
     * it confirmed that the topology it has read names {@code primary}, else why not (refused, unreachable, no
     * answer within {@code timeout}).
     */
    public String confirmLease(
            ClusterId cluster, NodeName peer, Term term, NodeName primary, String credential, Duration timeout) {
        Optional<String> u = url(cluster, peer);
        if (u.isEmpty()) {
            return "no agent-url in the inventory";
        }
        try {
            AgentApi.LeaseAnswer a = clients.client(u.get(), timeout)
                    .confirmLease(credential, new AgentApi.LeaseQuestion(term.value(), primary.value()));
            return a.confirmed() ? null : a.reason();
        } catch (AgentClients.Answered e) {
            return detail(e);
        } catch (RuntimeException e) {
            return AgentClients.describe(e);
        }
    }

    /** A command's own fields, besides term, operation id and deadline. */
    private record Fields(NodeName primary, Lsn waitPast, String synchronousStandbyNames, List<String> slots) {
        static final Fields NONE = new Fields(null, null, null, null);

        static Fields primary(NodeName primary) {
            return new Fields(primary, null, null, null);
        }

        Command command(Term term, String operationId, Instant deadline) {
            return new Command(
                    term.value(),
                    operationId,
                    deadline,
                    primary == null ? null : primary.value(),
                    waitPast == null ? null : waitPast.format(),
                    synchronousStandbyNames,
                    slots);
        }
    }

    /**
     * One operation on an agent, under an operation id of its own and a deadline by which it must start.
     * When a request times out (a promotion that waits for replay can outlast it) the same operation id
     * is asked again: the agent answers "running" or the outcome, never runs it twice. The wait ends
     * after {@code agent-timeout}, or {@link #GONE_GRACE} after the agent it was sent to stopped accepting
     * connections; an operation whose end was not seen then is "outcome unknown", which the caller must not treat
     * as "did not happen".
     */
    private <T> T call(ClusterId cluster, NodeName node, String op, Term term, Fields fields, Operation<T> operation) {
        String u = url(cluster, node)
                .orElseThrow(() -> new AgentCallException(0, node + " has no agent-url in the inventory"));
        String id = UUID.randomUUID().toString();
        // millisecond precision: the deadline the agent reads back is the one the credential was signed for
        Command command = fields.command(
                term,
                id,
                Instant.now().plus(config.commandDeadline()).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        String audience = AgentCredential.audience(cluster.value(), node.value());
        long giveUp = System.nanoTime() + config.agentTimeout().toNanos();
        boolean sent = false;
        String last = "no answer";
        long refusedSince = 0; // System.nanoTime() of the first refused connection after the operation was sent
        while (true) {
            long left = giveUp - System.nanoTime();
            if (left <= 0) {
                throw new AgentCallException(
                        sent ? OUTCOME_UNKNOWN : 0,
                        node + ": " + op + " (operation " + id + "): no outcome within " + config.agentTimeout() + " ("
                                + last + ")");
            }
            String credential;
            try { // signed afresh for each request: a poll for the outcome may outlast one credential
                credential = keys.sign(AgentCredential.forCommand(audience, op, command.signed()));
            } catch (IllegalStateException e) {
                throw new AgentCallException(sent ? OUTCOME_UNKNOWN : 0, node + ": " + op + ": " + e.getMessage());
            }
            try {
                return request(
                        u, Duration.ofNanos(Math.min(left, REQUEST_TIMEOUT.toNanos())), operation, credential, command);
            } catch (AgentClients.Answered a) {
                sent = true;
                refusedSince = 0;
                if (a.status == 202 && AgentApi.Running.RUNNING.equals(state(a.body))) {
                    last = "still running";
                    pause(RUNNING_POLL);
                    continue;
                }
                throw new AgentCallException(a.status, node + ": " + op + ": " + detail(a));
            } catch (ConstraintViolationException e) { // checked before sending: never on the wire
                throw new AgentCallException(0, node + ": " + op + ": invalid command: " + e.getMessage());
            } catch (RuntimeException e) {
                if (AgentClients.interrupted(e)) {
                    Thread.currentThread().interrupt();
                    throw new AgentCallException(sent ? OUTCOME_UNKNOWN : 0, node + ": " + op + ": interrupted");
                }
                if (AgentClients.unreadable(
                        e)) { // it answered 200: the operation ran, with a result this coordinator cannot read
                    throw new AgentCallException(
                            OUTCOME_UNKNOWN,
                            node + ": " + op + " (operation " + id + "): unreadable answer: "
                                    + AgentClients.describe(e));
                }
                if (AgentClients.refused(e)) {
                    if (!sent) {
                        throw new AgentCallException(
                                0,
                                node + ": " + op + ": agent not reachable: "
                                        + AgentClients.rootCause(e).getMessage());
                    }
                    long now = System.nanoTime();
                    if (refusedSince == 0) {
                        refusedSince = now;
                    } else if (now - refusedSince >= GONE_GRACE.toNanos()) {
                        throw new AgentCallException(
                                OUTCOME_UNKNOWN,
                                node + ": " + op + " (operation " + id + "): the agent went away after it was sent"
                                        + " (connections refused for " + GONE_GRACE.toMillis() + " ms: "
                                        + AgentClients.rootCause(e).getMessage() + "); its outcome is unknown");
                    }
                    last = "agent not reachable since: "
                            + AgentClients.rootCause(e).getMessage();
                    pause(RUNNING_POLL);
                } else { // a timeout or a broken connection: the operation may be running
                    sent = true;
                    refusedSince = 0;
                    last = AgentClients.describe(e);
                }
            }
        }
    }

    /**
     * One request with a timeout: the cached client of the agent for the usual one, else (the last request
     * before {@code agent-timeout}) a client of its own, closed after.
     */
    private <T> T request(String base, Duration timeout, Operation<T> operation, String credential, Command command) {
        if (timeout.equals(REQUEST_TIMEOUT)) {
            return operation.call(clients.client(base, REQUEST_TIMEOUT), credential, command);
        }
        AgentApi once = clients.once(
                base, timeout.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).plusMillis(1));
        try {
            return operation.call(once, credential, command);
        } finally {
            AgentClients.close(once);
        }
    }

    private String state(String body) {
        return read(body).path("state").asText();
    }

    /** The problem's detail, else its title, else the status. */
    private String detail(AgentClients.Answered a) {
        JsonNode p = read(a.body);
        return p.path("detail").asText(p.path("title").asText("HTTP " + a.status));
    }

    private JsonNode read(String body) {
        try {
            return body.isBlank() ? json.nullNode() : json.readTree(body);
        } catch (JsonProcessingException e) {
            return json.nullNode();
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
