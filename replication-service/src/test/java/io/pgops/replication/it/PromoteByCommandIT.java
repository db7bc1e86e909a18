package io.pgops.replication.it;

import static io.pgops.replication.it.ReplicationHarness.json;
import static io.pgops.replication.it.ReplicationHarness.post;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgops.stack.postgres.PgNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Promotion by an operator's command on a real cluster: after the primary's host dies (postmaster and
 * agent killed with SIGKILL) the synchronous standby is promoted with every acknowledged row, and the
 * old primary, once back, is rewound and streams from it on the same timeline. A standby that lags is
 * refused unless forced, and the forced promotion is recorded with its principal.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PromoteByCommandIT {
    static ReplicationHarness h;

    @BeforeAll
    static void cluster() {
        // these tests are about the operator's promote: the coordinator must not fail over by itself first
        h = new ReplicationHarness("pr", 1, java.util.Map.of("pgops.coordinator.automatic-failover", "false"));
        h.awaitSettledOn(h.name(1));
    }

    @Test
    @Order(1)
    void theSyncStandbyIsPromotedAfterThePrimaryDiedAndTheOldPrimaryIsRewoundWhenItReturns() {
        PgNode old = h.node(1);
        PgNode sync = h.node(2);
        old.sql("CREATE TABLE acked (id int PRIMARY KEY); INSERT INTO acked SELECT generate_series(1, 100)");
        long termBefore = h.term();

        h.stack.killService(h.door.agentNames().get(old.name())); // the host dies: agent and postmaster
        old.kill();
        await("the old primary to be dead").atMost(ReplicationHarness.SETTLE).until(() -> !old.isRunning());

        HttpResponse<String> r = post(
                h.api() + "/clusters/pr/promote?wait=120",
                "{\"node\":\"" + sync.name() + "\",\"reason\":\"pr-node1's host is gone\"}",
                "carol@example.com");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode outcome = json(r).path("outcome");
        assertEquals(sync.name(), outcome.path("newPrimary").asText(), r.body());
        assertEquals("primary", sync.role());
        assertEquals("100", sync.sql("SELECT count(*) FROM acked"), "every acknowledged row survived");
        assertTrue(h.term() > termBefore);
        String timeline = sync.sql("SELECT timeline_id FROM pg_control_checkpoint()");

        old.start(); // the host comes back: PostgreSQL first, writable on the old timeline, then its agent
        h.stack.restartService(h.door.agentNames().get(old.name()));
        await(old.name() + " to be rewound and stream from " + sync.name())
                .atMost(ReplicationHarness.SETTLE)
                .until(() -> ReplicationHarness.streamingFrom(sync).contains(old.name()));
        assertEquals("standby", old.role());
        sync.sql("INSERT INTO acked VALUES (101)");
        await(old.name() + " to replay a write of the new primary")
                .atMost(ReplicationHarness.SETTLE)
                .until(() -> "101".equals(old.sql("SELECT count(*) FROM acked")));
        await("every node on the new timeline " + timeline)
                .atMost(ReplicationHarness.SETTLE)
                .until(() -> h.nodes.stream()
                        .allMatch(n -> timeline.equals(n.sql("SELECT CASE WHEN pg_is_in_recovery() THEN"
                                + " (SELECT received_tli FROM pg_stat_wal_receiver)::text ELSE"
                                + " (SELECT timeline_id FROM pg_control_checkpoint())::text END"))));
        boolean fencedAtStart = false;
        for (JsonNode e : json(ReplicationHarness.get(h.api() + "/clusters/pr/history"))) {
            if (e.path("type").asText().endsWith("node-fenced.v1")
                    && old.name().equals(e.path("data").path("node").asText())
                    && e.path("data").path("reason").asText().contains("at the agent's start")) {
                fencedAtStart = true;
            }
        }
        assertTrue(fencedAtStart, "the restarted agent stopped its writable old primary before serving and said so");
        boolean rejoined = false;
        for (JsonNode e : json(ReplicationHarness.get(h.api() + "/clusters/pr/history"))) {
            if (e.path("type").asText().endsWith("standby-rejoined.v1")
                    && old.name().equals(e.path("data").path("node").asText())) {
                rejoined = true;
            }
        }
        assertTrue(rejoined, "StandbyRejoined names " + old.name());
    }

    @Test
    @Order(2)
    void aLaggingStandbyIsRefusedWithoutForceAndPromotedWithIt() {
        PgNode primary = h.node(2);
        h.awaitSettledOn(primary.name());
        // the asynchronous standby: cutting off the synchronous one would hold every commit
        JsonNode topology = h.topology().orElseThrow();
        String asyncName = null;
        for (JsonNode m : topology.path("members")) {
            if ("standby".equals(m.path("role").asText()) && !m.path("sync").asBoolean()) {
                asyncName = m.path("name").asText();
            }
        }
        String lagName = asyncName;
        PgNode lagging = h.nodes.stream()
                .filter(n -> n.name().equals(lagName))
                .findFirst()
                .orElseThrow();
        HttpResponse<String> paused = post(h.api() + "/clusters/pr/pause?wait=30", "{\"reason\":\"lag test\"}", "dave");
        assertEquals(200, paused.statusCode(), paused.body());
        // cut the standby off its primary, then write more than maximum-lag-on-failover (1 MiB)
        lagging.sql("ALTER SYSTEM SET primary_conninfo = ''");
        lagging.sql("SELECT pg_reload_conf()");
        await(lagging.name() + " to stop streaming")
                .atMost(ReplicationHarness.SETTLE)
                .until(() -> !"streaming"
                        .equals(lagging.sql("SELECT coalesce((SELECT status FROM pg_stat_wal_receiver), 'none')")));
        primary.sql("CREATE TABLE filler AS SELECT g, repeat('x', 200) AS pad FROM generate_series(1, 20000) g");

        HttpResponse<String> refused = post(
                h.api() + "/clusters/pr/promote?wait=60",
                "{\"node\":\"" + lagging.name() + "\",\"reason\":\"try the lagging one\"}",
                "dave");
        assertEquals(409, refused.statusCode(), refused.body());
        assertEquals("candidate-not-safe", json(refused).path("code").asText(), refused.body());
        assertEquals("standby", lagging.role(), "a refused promotion changes nothing");

        HttpResponse<String> forced = post(
                h.api() + "/clusters/pr/promote?wait=120",
                "{\"node\":\"" + lagging.name() + "\",\"reason\":\"accept the loss\",\"force\":true}",
                "dave");
        assertEquals(200, forced.statusCode(), forced.body());
        assertEquals("primary", lagging.role());
        String commandPrincipal = null;
        for (JsonNode e : json(ReplicationHarness.get(h.api() + "/clusters/pr/history"))) {
            if (e.path("type").asText().endsWith("promote-requested.v1")
                    && e.path("data").path("force").asBoolean()) {
                commandPrincipal = e.path("principal").asText();
            }
        }
        assertEquals("dave", commandPrincipal, "the forced promote command names its principal");
        HttpResponse<String> resumed = post(h.api() + "/clusters/pr/resume?wait=30", "{\"reason\":\"done\"}", "dave");
        assertEquals(200, resumed.statusCode(), resumed.body());
        h.awaitSettledOn(lagging.name());
    }
}
