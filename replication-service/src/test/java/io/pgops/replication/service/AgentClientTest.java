package io.pgops.replication.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Term;
import io.pgops.events.model.Timeline;
import io.pgops.replication.domain.AgentCredential;
import io.pgops.replication.domain.AgentReport;
import io.pgops.replication.domain.RejoinOutcome;
import io.pgops.replication.rest.AgentApi;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The coordinator's REST client of {@code AgentApi} against scripted agents over real HTTP, called from the
 * kinds of threads the coordinator uses (platform and virtual, never an event loop): the 202 "running"
 * answer re-asked under the same operation id, refusals with the agent's detail, "surely not run" (0) and
 * "outcome unknown", tolerant reports with the reason of each node that did not answer.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeAgents.class, restrictToAnnotatedClass = true)
class AgentClientTest {
    static final ClusterId FAKE = ClusterId.of("fake");
    static final Term TERM = Term.of(7);

    /** An answer of a scripted agent. */
    record Answer(int status, String type, String body, long delayMillis) {
        static Answer json(int status, String body) {
            return new Answer(status, "application/json", body, 0);
        }

        static Answer problem(int status, String title, String detail) {
            return new Answer(
                    status,
                    "application/problem+json",
                    "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\""
                            + detail + "\",\"violations\":[]}",
                    0);
        }

        Answer after(long millis) {
            return new Answer(status, type, body, millis);
        }
    }

    /** A request as the scripted agent received it. */
    record Received(String path, String contentType, String body, String credential) {}

    /** Answers by path ({@code /node1/agent/promote}), in order; the last one repeats. */
    static final Map<String, List<Answer>> SCRIPT = new ConcurrentHashMap<>();

    static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    static HttpServer server;
    static ExecutorService serverThreads;

    @Inject
    AgentClient client;

    @Inject
    ObjectMapper strict;

    @Inject
    AgentCommandKeys keys;

    @BeforeAll
    static void startAgents() throws IOException {
        int port = ConfigProvider.getConfig().getValue("test.fake-agents.port", Integer.class);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        serverThreads = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(serverThreads);
        server.createContext("/", AgentClientTest::handle);
        server.start();
    }

    @AfterAll
    static void stopAgents() {
        server.stop(0);
        serverThreads.shutdownNow();
    }

    @BeforeEach
    void reset() {
        SCRIPT.clear();
        RECEIVED.clear();
    }

    static void script(String path, Answer... answers) {
        SCRIPT.put(path, new CopyOnWriteArrayList<>(List.of(answers)));
    }

    static List<Received> received(String path) {
        return RECEIVED.stream().filter(r -> r.path().equals(path)).toList();
    }

    private static void handle(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        RECEIVED.add(new Received(
                path,
                x.getRequestHeaders().getFirst("Content-Type"),
                body,
                x.getRequestHeaders().getFirst(AgentCredential.HEADER)));
        List<Answer> script = SCRIPT.get(path);
        Answer a = script == null || script.isEmpty()
                ? Answer.problem(404, "Not Found", "no script for " + path)
                : script.size() > 1 ? script.removeFirst() : script.getFirst();
        if (a.delayMillis() > 0) {
            try {
                Thread.sleep(a.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", a.type());
        try {
            x.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                x.getResponseBody().write(bytes);
            }
        } catch (IOException e) {
            // the client gave up (a timeout test)
        } finally {
            x.close();
        }
    }

    /** Where the coordinator calls from: its own platform threads, or virtual threads. */
    enum Caller {
        PLATFORM,
        VIRTUAL;

        <T> T call(Supplier<T> s) throws Exception {
            FutureTask<T> task = new FutureTask<>(s::get);
            Thread t = this == PLATFORM
                    ? Thread.ofPlatform().start(task)
                    : Thread.ofVirtual().start(task);
            try {
                return task.get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof Exception c) {
                    throw c;
                }
                throw e;
            } finally {
                t.join(1000);
            }
        }
    }

    static Stream<Caller> callers() {
        return Stream.of(Caller.values());
    }

    private JsonNode json(String body) throws IOException {
        return strict.readTree(body);
    }

    @ParameterizedTest
    @MethodSource("callers")
    void aRunningOperationIsAskedAgainUnderTheSameIdUntilItsOutcome(Caller caller) throws Exception {
        String running = "{\"operationId\":\"x\",\"state\":\"running\"}";
        script(
                "/node1/agent/promote",
                Answer.json(202, running),
                Answer.json(202, running),
                Answer.json(
                        200,
                        strict.writeValueAsString(
                                new AgentNode.Promotion(Timeline.of(3), Timeline.of(4), Lsn.parse("0/5000028"), 812))));
        AgentClient.Promotion p = caller.call(
                () -> client.promote(FAKE, NodeName.of("node1"), TERM, Lsn.parse("0/5000000"), "ANY 1 (node2)"));
        assertEquals(new AgentClient.Promotion(3, 4, "0/5000028", 812), p);
        List<Received> asked = received("/node1/agent/promote");
        assertEquals(3, asked.size());
        JsonNode first = json(asked.getFirst().body());
        assertTrue(
                asked.getFirst().contentType().startsWith("application/json"),
                asked.getFirst().contentType());
        assertEquals(7, first.path("term").asLong());
        assertEquals("0/5000000", first.path("waitPast").asText());
        assertEquals("ANY 1 (node2)", first.path("synchronousStandbyNames").asText());
        assertTrue(first.path("operationId").asText().matches("^[A-Za-z0-9-]{8,64}$"));
        Instant deadline = Instant.parse(first.path("deadline").asText());
        assertTrue(deadline.isAfter(Instant.now()), "the deadline is sent as an ISO instant in the future");
        assertFalse(first.has("primary"), "fields the command lacks are not sent: " + first);
        assertFalse(first.has("slots"), "fields the command lacks are not sent: " + first);
        for (Received r : asked) {
            assertEquals(first, json(r.body()), "asked again with the same operation id and body");
            // each request carries the coordinators' credential for this node, operation and command
            AgentCommandKeys.Verified v = keys.verify(r.credential());
            assertNull(v.refused(), () -> v.refused().reason());
            AgentApi.Command sent = strict.readValue(r.body(), AgentApi.Command.class);
            assertEquals(
                    java.util.Optional.empty(),
                    AgentCredential.check(
                            v.claims(), AgentCredential.audience("fake", "node1"), "promote", sent.signed()));
        }
    }

    @ParameterizedTest
    @MethodSource("callers")
    void aRefusalCarriesTheAgentsStatusAndDetail(Caller caller) {
        script("/node1/agent/follow", Answer.problem(409, "Term refused (stale)", "term 7 is older than 8"));
        AgentClient.AgentCallException e = assertThrows(
                AgentClient.AgentCallException.class,
                () -> caller.call(() -> {
                    client.follow(FAKE, NodeName.of("node1"), TERM, NodeName.of("node2"));
                    return null;
                }));
        assertEquals(409, e.status);
        assertFalse(e.outcomeUnknown());
        assertTrue(e.getMessage().contains("node1: follow: term 7 is older than 8"), e.getMessage());
        assertEquals(
                "node2",
                assertDoesNotFail(() ->
                                json(received("/node1/agent/follow").getFirst().body()))
                        .path("primary")
                        .asText());
    }

    @Test
    void aFailureWithoutAProblemBodyIsNamedByItsStatus() {
        script("/node1/agent/start", new Answer(500, "text/plain", "", 0));
        AgentClient.AgentCallException e = assertThrows(
                AgentClient.AgentCallException.class, () -> client.start(FAKE, NodeName.of("node1"), TERM));
        assertEquals(500, e.status);
        assertTrue(e.getMessage().endsWith("node1: start: HTTP 500"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("callers")
    void anAgentNobodyListensForWasSurelyNotAsked(Caller caller) {
        AgentClient.AgentCallException e = assertThrows(
                AgentClient.AgentCallException.class,
                () -> caller.call(() -> client.fence(FAKE, NodeName.of("node3"), TERM)));
        assertEquals(0, e.status, e.getMessage());
        assertTrue(e.getMessage().contains("agent not reachable"), e.getMessage());
        AgentClient.AgentCallException none = assertThrows(
                AgentClient.AgentCallException.class, () -> client.start(FAKE, NodeName.of("node5"), TERM));
        assertEquals(0, none.status);
        assertTrue(none.getMessage().contains("no agent-url"), none.getMessage());
    }

    @Test
    void anOperationWhoseEndIsNotSeenWithinTheAgentTimeoutHasAnUnknownOutcome() {
        script("/node4/agent/rejoin", Answer.json(200, "{}").after(8000));
        long t0 = System.nanoTime();
        AgentClient.AgentCallException e = assertThrows(
                AgentClient.AgentCallException.class,
                () -> client.rejoin(FAKE, NodeName.of("node4"), TERM, NodeName.of("node1")));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertTrue(e.outcomeUnknown(), e.getMessage());
        assertTrue(e.getMessage().contains("no outcome within PT3S"), e.getMessage());
        assertTrue(
                took.compareTo(Duration.ofMillis(2900)) >= 0 && took.compareTo(Duration.ofMillis(4500)) < 0,
                "the wait ends at agent-timeout (3 s), not after a 10 s request: " + took);
    }

    @Test
    void anAgentThatGoesAwayMidOperationEndsTheCallAsOutcomeUnknownWithoutWaitingForTheAgentTimeout() throws Exception {
        int port = ConfigProvider.getConfig().getValue("test.fake-agents.gone-port", Integer.class);
        HttpServer agent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        agent.createContext("/", x -> {
            asked.incrementAndGet();
            x.getRequestBody().readAllBytes();
            byte[] running = "{\"operationId\":\"x\",\"state\":\"running\"}".getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", "application/json");
            x.sendResponseHeaders(202, running.length);
            x.getResponseBody().write(running);
            x.close();
            Thread.ofPlatform().start(() -> agent.stop(0)); // the agent dies with the promotion running
        });
        agent.start();
        try {
            long t0 = System.nanoTime();
            AgentClient.AgentCallException e = assertThrows(
                    AgentClient.AgentCallException.class,
                    () -> client.promote(FAKE, NodeName.of("node6"), TERM, null, null));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertEquals(1, asked.get(), "the operation was sent once");
            assertTrue(e.outcomeUnknown(), e.getMessage());
            assertTrue(e.getMessage().contains("the agent went away after it was sent"), e.getMessage());
            assertTrue(
                    took.compareTo(AgentClient.GONE_GRACE) >= 0 && took.compareTo(Duration.ofMillis(2500)) < 0,
                    "given up once connections were refused for the grace, not at agent-timeout (3 s): " + took);
        } finally {
            agent.stop(0);
        }
    }

    @Test
    void anAnswerOfANewerAgentIsReadTolerantly() throws Exception {
        script(
                "/node2/agent/reinit",
                Answer.json(200, "{\"method\":\"rebuild\",\"durationMillis\":900,\"reason\":\"asked\",\"bytes\":1}"));
        assertEquals(
                new RejoinOutcome("rebuild", 900, "asked"),
                client.reinit(FAKE, NodeName.of("node2"), TERM, NodeName.of("node1")));
        assertEquals(1, received("/node2/agent/reinit").size(), "the trailing slash of an agent-url is dropped");

        script("/node1/agent/fence", Answer.json(200, "{\"mode\":\"immediate\",\"clusterState\":\"in production\"}"));
        assertEquals(
                new AgentClient.Fence("immediate", "in production", null),
                client.fence(FAKE, NodeName.of("node1"), TERM));
        script(
                "/node1/agent/fence",
                Answer.json(
                        200,
                        "{\"mode\":\"fast\",\"clusterState\":\"shut down\",\"checkpointLsn\":\"0/3000028\",\"x\":[]}"));
        assertEquals(
                new AgentClient.Fence("fast", "shut down", Lsn.parse("0/3000028")),
                client.fence(FAKE, NodeName.of("node1"), TERM));

        script("/node1/agent/configure", Answer.json(200, "{\"configured\":true}"));
        client.configure(FAKE, NodeName.of("node1"), TERM, "ANY 1 (node2)", List.of("node2"));
        JsonNode sent = json(received("/node1/agent/configure").getFirst().body());
        assertEquals(List.of("node2"), List.of(strict.treeToValue(sent.path("slots"), String[].class)));
    }

    @Test
    void anUnreadableAnswerOfAnOperationThatRanHasAnUnknownOutcome() {
        script("/node1/agent/promote", Answer.json(200, "{\"previousTimeline\":\"three\"}"));
        AgentClient.AgentCallException e = assertThrows(
                AgentClient.AgentCallException.class,
                () -> client.promote(FAKE, NodeName.of("node1"), TERM, null, null));
        assertTrue(e.outcomeUnknown(), e.getMessage());
        assertTrue(e.getMessage().contains("unreadable answer"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("callers")
    void theRealAgentResourceAnswersThroughTheSameInterface(Caller caller) {
        AgentClient.AgentCallException e = assertThrows(
                AgentClient.AgentCallException.class,
                () -> caller.call(() -> client.fence(FAKE, NodeName.of("self"), TERM)));
        assertEquals(404, e.status, e.getMessage());
        assertTrue(e.getMessage().contains("sits beside no node"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("callers")
    void reportsAreAskedInParallelAndEachNodeThatDidNotAnswerHasItsReason(Caller caller) throws Exception {
        AgentReport standby = new AgentReport(
                NodeName.of("node1"),
                true,
                true,
                true,
                Timeline.of(3),
                null,
                Lsn.parse("0/3000060"),
                Lsn.parse("0/3000000"),
                "streaming",
                5432,
                "",
                List.of(new AgentReport.Replica("node3", "streaming", "async", Lsn.parse("0/3000000"), null)),
                List.of("node3"),
                TERM,
                null,
                true);
        ObjectNode newer = strict.valueToTree(standby);
        newer.put("walSegmentSize", 16777216);
        script("/node1/agent/status", Answer.json(200, strict.writeValueAsString(newer)));
        script("/node2/agent/status", Answer.json(200, "{\"node\":\"node2\",\"running\":\"yes\"}"));
        script(
                "/node4/agent/status",
                Answer.json(200, strict.writeValueAsString(standby)).after(4000));
        List<NodeName> nodes = Stream.of("node1", "node2", "node3", "node4", "node5", "self")
                .map(NodeName::of)
                .toList();
        long t0 = System.nanoTime();
        AgentClient.Reports r = caller.call(() -> client.reports(FAKE, nodes));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertEquals(Map.of(NodeName.of("node1"), standby), r.reports());
        Map<NodeName, String> why = r.unanswered();
        assertEquals(5, why.size(), why.toString());
        assertTrue(why.get(NodeName.of("node2")).startsWith("unreadable report: "), why.toString());
        assertTrue(why.get(NodeName.of("node3")).startsWith("ConnectException: "), why.toString());
        assertTrue(why.get(NodeName.of("node4")).contains("1500"), why.toString()); // ours or the read timeout
        assertEquals("no agent-url in the inventory", why.get(NodeName.of("node5")));
        assertTrue(why.get(NodeName.of("self")).startsWith("HTTP 404 {"), why.toString());
        assertTrue(why.get(NodeName.of("self")).contains("sits beside no node"), why.toString());
        assertTrue(took.compareTo(Duration.ofMillis(2500)) < 0, "in parallel, within 1.5 s: " + took);
    }

    private static <T> T assertDoesNotFail(java.util.concurrent.Callable<T> c) {
        try {
            return c.call();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
