package io.pgops.replication.it;

import static io.pgops.replication.it.ReplicationHarness.json;
import static io.pgops.replication.it.ReplicationHarness.post;
import static io.pgops.replication.it.ReplicationHarness.postToAgent;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgops.events.EventEnvelope;
import io.pgops.events.Topics;
import io.pgops.events.replication.AgentCommandRefused;
import io.pgops.replication.domain.AgentCredential;
import io.pgops.stack.auth.Tokens;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.testkit.KafkaTap;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Planned switchovers of a real cluster through the coordinator, under a steady write load through
 * PgBouncer: no acknowledged row is lost, the old primary streams from the new one, HAProxy's write
 * port follows, twice in a row. Then commands that cannot apply are refused and publish nothing, and
 * an agent refuses a command carrying an older term.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwitchoverUnderLoadIT {
    static ReplicationHarness h;

    @BeforeAll
    static void cluster() {
        // sw-node3 is tagged nofailover in the coordinator's inventory: never a switchover target
        h = new ReplicationHarness("sw", 1, java.util.Map.of("pgops.clusters.sw.nodes.sw-node3.nofailover", "true"));
        h.awaitSettledOn(h.name(1));
    }

    @Test
    @Order(1)
    void twoSwitchoversUnderWriteLoadLoseNoAcknowledgedRowAndTheWritePortFollows() {
        try (ReplicationHarness.Writer w = h.new Writer("load")) {
            w.awaitAcked(50);
            switchover(w, h.node(1), h.node(2));
            switchover(w, h.node(2), h.node(1));
            w.close();
            assertEquals(
                    List.of(),
                    ReplicationHarness.missing(h.node(1), "load", w.acked),
                    "acknowledged rows missing on the primary after two switchovers");
        }
    }

    private void switchover(ReplicationHarness.Writer w, PgNode from, PgNode to) {
        long termBefore = h.term();
        w.resetPause();
        long t0 = System.nanoTime();
        HttpResponse<String> r = post(
                h.api() + "/clusters/sw/switchover?wait=120",
                "{\"target\":\"" + to.name() + "\",\"reason\":\"planned: kernel update on " + from.name() + "\"}",
                "alice@example.com");
        long commandMillis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = json(r);
        assertEquals("completed", body.path("status").asText(), r.body());
        assertEquals(to.name(), body.path("outcome").path("newPrimary").asText());
        assertEquals(0, body.path("outcome").path("lostBytes").asLong(-1), "a switchover loses nothing");
        w.awaitAcked(20);
        System.out.printf(
                "switchover %s -> %s: command %d ms, writer's longest pause %d ms, writer errors so far %d%n",
                from.name(), to.name(), commandMillis, w.longestPauseMillis(), w.errors());
        assertEquals("primary", to.role());
        assertTrue(h.term() > termBefore, "the switchover ran in a newer term");
        await(from.name() + " to stream from " + to.name())
                .atMost(ReplicationHarness.SETTLE)
                .until(() -> ReplicationHarness.streamingFrom(to).contains(from.name()));
        await("the write port to reach " + to.name())
                .atMost(ReplicationHarness.SETTLE)
                .until(() -> Integer.toString(to.port()).equals(writePortServer()));
        h.awaitSettledOn(to.name());
    }

    private String writePortServer() {
        {
            return io.pgops.pgtools.Cmd.of(
                            io.pgops.pgtools.PgBinaries.locate().tool("psql"),
                            "-X",
                            "-A",
                            "-t",
                            "-h",
                            "127.0.0.1",
                            "-p",
                            Integer.toString(h.door.routing().writePort()),
                            "-U",
                            io.pgops.stack.postgres.PgTopology.PGOPS_USER,
                            "-d",
                            "postgres",
                            "-c",
                            "SELECT inet_server_port()")
                    .env("PGPASSWORD", h.stack.secrets().password(io.pgops.stack.postgres.PgTopology.PGOPS_USER))
                    .env("PGCONNECT_TIMEOUT", "3")
                    .timeoutSeconds(20)
                    .tryRun()
                    .output()
                    .strip();
        }
    }

    @Test
    @Order(2)
    void commandsThatCannotApplyAreRefusedWithProblemJsonAndPublishNothing() {
        int before = history().size();
        String api = h.api();
        assertProblem(post(api + "/clusters/nope/switchover", "{\"reason\":\"x\"}", "bob"), 404);
        assertProblem(post(api + "/clusters/sw/promote", "{\"node\":\"sw-node9\",\"reason\":\"x\"}", "bob"), 422);
        assertProblem(post(api + "/clusters/sw/promote", "{\"node\":", "bob"), 400);
        assertProblem(post(api + "/clusters/sw/promote", "{\"node\":\"sw-node2\"}", "bob"), 400);
        assertProblem(post(api + "/clusters/sw/promote", "{\"node\":\"x; DROP\",\"reason\":\"x\"}", "bob"), 400);
        assertProblem(
                post(api + "/clusters/sw/promote", "{\"node\":\"" + h.name(1) + "\",\"reason\":\"x\"}", "bob"), 409);
        assertProblem(
                post(api + "/clusters/sw/switchover", "{\"target\":\"" + h.name(1) + "\",\"reason\":\"x\"}", "bob"),
                409);
        assertProblem(post(api + "/clusters/sw/nodes/" + h.name(1) + "/reinit", "{\"reason\":\"x\"}", "bob"), 409);
        assertProblem(post(api + "/clusters/sw/switchover", "{\"reason\":\"x\"}", "bad principal!"), 400);
        assertEquals(before, history().size(), "a refused request publishes nothing");

        HttpResponse<String> paused = post(api + "/clusters/sw/pause?wait=30", "{\"reason\":\"maintenance\"}", "bob");
        assertEquals(200, paused.statusCode(), paused.body());
        await("the pause to be committed")
                .atMost(ReplicationHarness.SETTLE)
                .until(() -> h.topology().map(t -> t.path("paused").asBoolean()).orElse(false));
        int whilePaused = history().size();
        assertProblem(post(api + "/clusters/sw/switchover", "{\"reason\":\"x\"}", "bob"), 409);
        assertEquals(whilePaused, history().size(), "a switchover while paused publishes nothing");
        HttpResponse<String> resumed = post(api + "/clusters/sw/resume?wait=30", "{\"reason\":\"done\"}", "bob");
        assertEquals(200, resumed.statusCode(), resumed.body());
        JsonNode last = history().get(history().size() - 1);
        assertEquals("bob", last.path("principal").asText(), last.toString());

        // compare and set: a promotion issued against a term the cluster has left is refused at the door (the
        // coordinator applies the same rule, CommandRulesTest), with the same code
        long term = h.term();
        HttpResponse<String> stale = post(
                api + "/clusters/sw/promote?wait=30",
                "{\"node\":\"" + h.name(2) + "\",\"reason\":\"looked long ago\",\"term\":" + (term - 1) + "}",
                "bob");
        assertEquals(409, stale.statusCode(), stale.body());
        assertEquals("stale-term", json(stale).path("code").asText(), stale.body());
        assertEquals(term, h.term(), "the stale promotion changed nothing");
        assertEquals("primary", h.node(1).role());
    }

    @Test
    @Order(3)
    void anAgentRefusesACommandWithAnOlderTermOneNoCommittedTopologyCarriesAndOneTooLate() {
        long term = h.term();
        Instant soon = Instant.now().plusSeconds(30).truncatedTo(ChronoUnit.MILLIS);
        String staleBody = "{\"term\":" + (term - 1) + ",\"operationId\":\"stale-0001\",\"deadline\":\"" + soon + "\"}";
        String staleCredential = credential("promote", term - 1, "stale-0001", soon);
        HttpResponse<String> stale = postToAgent(h.agent(2) + "/agent/promote", staleBody, staleCredential);
        assertEquals(409, stale.statusCode(), stale.body());
        assertTrue(stale.body().contains("older"), stale.body());
        HttpResponse<String> again = postToAgent(h.agent(2) + "/agent/promote", staleBody, staleCredential);
        assertEquals(409, again.statusCode(), again.body());
        assertEquals(stale.body(), again.body(), "a repeated operation id is answered from memory, not run again");
        HttpResponse<String> unknown = postToAgent(
                h.agent(2) + "/agent/promote",
                "{\"term\":" + (term + 10) + ",\"operationId\":\"unknown-0001\",\"deadline\":\"" + soon + "\"}",
                credential("promote", term + 10, "unknown-0001", soon));
        assertEquals(409, unknown.statusCode(), unknown.body());
        Instant past = Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.MILLIS);
        HttpResponse<String> late = postToAgent(
                h.agent(2) + "/agent/promote",
                "{\"term\":" + term + ",\"operationId\":\"late-0001\",\"deadline\":\"" + past + "\"}",
                credential("promote", term, "late-0001", past));
        assertEquals(409, late.statusCode(), late.body());
        assertTrue(late.body().contains("Command expired"), late.body());
        assertEquals("standby", h.node(2).role(), "no command with a wrong term or a past deadline touched the node");
    }

    /**
     * Issue 20: the agents' operations stop, promote and rewind PostgreSQL; only the cluster's coordinator may
     * ask. Each attempt below would promote node 2 under the current term if its credential were accepted.
     */
    @Test
    @Order(3)
    void anAgentRefusesEveryOperationWithoutTheCoordinatorsCredentialForItAndReportsIt() {
        long term = h.term();
        Instant soon = Instant.now().plusSeconds(30).truncatedTo(ChronoUnit.MILLIS);
        String body = "{\"term\":" + term + ",\"operationId\":\"forged-0001\",\"deadline\":\"" + soon + "\"}";
        AgentCredential.Command command = AgentCredentials.command(term, "forged-0001", soon);
        String promote = h.agent(2) + "/agent/promote";
        Map<String, String> attempts = new java.util.LinkedHashMap<>();
        attempts.put("missing", null);
        attempts.put(
                "bad-signature",
                AgentCredentials.signed(
                        AgentCredential.forCommand(AgentCredential.audience(h.cluster, h.name(2)), "promote", command),
                        Tokens.unknownKey()));
        attempts.put("wrong-node", AgentCredentials.forCommand(h.cluster, h.name(3), "promote", command));
        attempts.put("wrong-operation", AgentCredentials.forCommand(h.cluster, h.name(2), "follow", command));
        // a credential captured from another command, replayed with this body
        attempts.put("other-command", credential("promote", term, "captured-01", soon));
        attempts.put("malformed", "not.a.token");
        for (Map.Entry<String, String> a : attempts.entrySet()) {
            HttpResponse<String> r = postToAgent(promote, body, a.getValue());
            assertEquals(401, r.statusCode(), a.getKey() + ": " + r.body());
            assertEquals("Not the coordinator", json(r).path("title").asText(), r.body());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        }
        HttpResponse<String> report =
                ReplicationHarness.get(h.agent(2) + "/agent/status"); // a viewer is no coordinator
        assertEquals(401, report.statusCode(), report.body());
        assertEquals(200, h.agentStatus(h.agent(2), h.name(2)).statusCode(), "the coordinator's credential reads it");

        assertEquals("standby", h.node(2).role(), "no refused operation touched the node");
        assertEquals(term, h.term(), "no refused operation changed the term");
        await("each refusal reported on " + Topics.REPLICATION_EVENTS)
                .atMost(ReplicationHarness.SETTLE)
                .until(() -> refusalsReported(h.name(2)).containsAll(attempts.keySet()));
        String events = String.join(
                "\n",
                KafkaTap.events(h.stack.kafkaBootstrap(), Topics.REPLICATION_EVENTS).stream()
                        .map(e -> e.data().toString())
                        .toList());
        for (String c : attempts.values()) {
            if (c != null && c.length() > 20) {
                assertFalse(events.contains(c), "a refusal never repeats the credential it refused");
            }
        }
    }

    /**
     * Issue 20: each confirmation of the failsafe's question holds the asked agent back from promotion for a ttl, so
     * a forged question could delay a failover for as long as it is repeated. The question carries the lease
     * credential the coordinators signed with the primary's last grant; nothing else is answered.
     */
    @Test
    @Order(3)
    void anAgentAnswersTheFailsafesQuestionOnlyWithTheCoordinatorsLeaseCredentialOfThePrimary() {
        long term = h.term();
        assertEquals("primary", h.node(1).role());
        String question = "{\"term\":" + term + ",\"primary\":\"" + h.name(1) + "\"}";
        String confirmation = h.agent(3) + "/agent/lease-confirmation";
        String primary = AgentCredential.audience(h.cluster, h.name(1));
        Map<String, String> attempts = new java.util.LinkedHashMap<>();
        attempts.put("missing", null);
        attempts.put(
                "bad-signature", AgentCredentials.signed(AgentCredential.forLease(primary, term), Tokens.unknownKey()));
        attempts.put(
                "wrong-node",
                AgentCredentials.signed(
                        AgentCredential.forLease(AgentCredential.audience(h.cluster, h.name(2)), term)));
        attempts.put(
                "wrong-operation", // a command credential meant for the primary's agent is no lease credential
                AgentCredentials.forCommand(
                        h.cluster,
                        h.name(1),
                        "promote",
                        AgentCredentials.command(
                                term, "captured-02", Instant.now().plusSeconds(20))));
        for (Map.Entry<String, String> a : attempts.entrySet()) {
            HttpResponse<String> r = postToAgent(confirmation, question, a.getValue());
            assertEquals(401, r.statusCode(), a.getKey() + ": " + r.body());
            assertEquals("No lease credential", json(r).path("title").asText(), r.body());
        }
        HttpResponse<String> stale = postToAgent(
                confirmation, question, AgentCredentials.signed(AgentCredential.forLease(primary, term - 1)));
        assertEquals(200, stale.statusCode(), stale.body());
        assertFalse(json(stale).path("confirmed").asBoolean(), "a lease of an earlier term: " + stale.body());
        HttpResponse<String> shown =
                postToAgent(confirmation, question, AgentCredentials.signed(AgentCredential.forLease(primary, term)));
        assertEquals(200, shown.statusCode(), shown.body());
        assertTrue(json(shown).path("confirmed").asBoolean(), shown.body());
        await("each refused question reported")
                .atMost(ReplicationHarness.SETTLE)
                .until(() -> leaseRefusalsReported(h.name(3)).containsAll(attempts.keySet()));
    }

    private java.util.Set<String> leaseRefusalsReported(String node) {
        return h.events(AgentCommandRefused.class).stream()
                .filter(r -> r.node().value().equals(node) && r.operation().equals("lease-confirmation"))
                .map(AgentCommandRefused::refusal)
                .collect(java.util.stream.Collectors.toSet());
    }

    private java.util.Set<String> refusalsReported(String node) {
        return KafkaTap.events(h.stack.kafkaBootstrap(), Topics.REPLICATION_EVENTS).stream()
                .map(EventEnvelope::data)
                .filter(d -> d instanceof AgentCommandRefused r
                        && r.cluster().value().equals(h.cluster)
                        && r.node().value().equals(node))
                .map(d -> ((AgentCommandRefused) d).refusal())
                .collect(java.util.stream.Collectors.toSet());
    }

    private String credential(String op, long term, String operationId, Instant deadline) {
        return AgentCredentials.forCommand(
                h.cluster, h.name(2), op, AgentCredentials.command(term, operationId, deadline));
    }

    @Test
    @Order(4)
    void aStandbyIsRebuiltOnRequestAndStreamsAgain() {
        PgNode node3 = h.node(3);
        node3.sql("SELECT 1");
        HttpResponse<String> r = post(
                h.api() + "/clusters/sw/nodes/" + node3.name() + "/reinit?wait=120",
                "{\"reason\":\"disk replaced\"}",
                "frank");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("rebuild", json(r).path("outcome").path("method").asText(), r.body());
        await(node3.name() + " to stream again")
                .atMost(ReplicationHarness.SETTLE)
                .until(() -> ReplicationHarness.streamingFrom(h.node(1)).contains(node3.name()));
        assertEquals(
                h.node(1).sql("SELECT count(*) FROM load"),
                node3.sql("SELECT count(*) FROM load"),
                "the rebuilt standby has the primary's rows");
    }

    @Test
    @Order(5)
    void aScheduledSwitchoverIsListedCanBeCancelledAndRunsAtItsTime() {
        String api = h.api();
        String body = "{\"target\":\"" + h.name(2) + "\",\"scheduledAt\":\"%s\",\"reason\":\"host maintenance\"}";
        HttpResponse<String> later = post(
                api + "/clusters/sw/switchover?wait=30",
                body.formatted(java.time.Instant.now().plusSeconds(3600)),
                "gina");
        assertEquals(200, later.statusCode(), later.body());
        assertEquals("scheduled", json(later).path("status").asText(), later.body());
        HttpResponse<String> listed = ReplicationHarness.get(api + "/clusters/sw/switchover");
        assertEquals(200, listed.statusCode(), listed.body());
        assertEquals(h.name(2), json(listed).path("to").asText());
        assertProblem(
                post(
                        api + "/clusters/sw/switchover",
                        body.formatted(java.time.Instant.now().plusSeconds(7200)),
                        "gina"),
                409);
        HttpResponse<String> cancelled =
                ReplicationHarness.delete(api + "/clusters/sw/switchover?reason=postponed&wait=30", "gina");
        assertEquals(200, cancelled.statusCode(), cancelled.body());
        assertProblem(ReplicationHarness.get(api + "/clusters/sw/switchover"), 404);
        assertEquals("primary", h.node(1).role(), "the cancelled switchover never ran");

        HttpResponse<String> soon = post(
                api + "/clusters/sw/switchover?wait=30",
                body.formatted(java.time.Instant.now().plusSeconds(8)),
                "gina");
        assertEquals(200, soon.statusCode(), soon.body());
        String commandId = json(soon).path("commandId").asText();
        await("the scheduled switchover to complete")
                .atMost(ReplicationHarness.SETTLE)
                .until(() -> history().stream()
                        .anyMatch(e -> e.path("type").asText().endsWith("failover-completed.v1")
                                && commandId.equals(e.path("correlationId").asText())));
        h.awaitSettledOn(h.name(2));
    }

    private static List<JsonNode> history() {
        List<JsonNode> l = new java.util.ArrayList<>();
        json(ReplicationHarness.get(h.api() + "/clusters/sw/history")).forEach(l::add);
        return l;
    }

    private static void assertProblem(HttpResponse<String> r, int status) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(
                "application/problem+json",
                r.headers().firstValue("Content-Type").orElse("").split(";")[0],
                r.body());
    }
}
