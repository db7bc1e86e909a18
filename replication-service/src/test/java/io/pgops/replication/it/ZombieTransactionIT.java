package io.pgops.replication.it;

import static io.pgops.replication.it.ReplicationHarness.json;
import static io.pgops.replication.it.ReplicationHarness.post;
import static io.pgops.replication.it.ReplicationHarness.scaled;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.EventEnvelope;
import io.pgops.events.Topics;
import io.pgops.events.replication.TopologyChanged;
import io.pgops.stack.testkit.KafkaTap;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A coordinator killed between sending a decision and committing it leaves a Kafka transaction open
 * on the shared {@code pgops.topology} partition. Its successor uses the same transactional id (one
 * per partition of the commands topic), so taking the cluster over aborts that transaction at once:
 * the agents, which read committed records only, see the successor's term within the group's session
 * timeout and a few seconds, and never the dead coordinator's decision.
 */
class ZombieTransactionIT {
    /** The coordinators' default group session timeout. */
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);
    /** What the issue allows beyond the session timeout for the successor's term to reach the agents. */
    private static final Duration SUCCESSOR_VISIBLE = scaled(SESSION_TIMEOUT.plusSeconds(5));

    @Test
    void
            aCoordinatorKilledBetweenSendAndCommitIsReplacedAndAgentsSeeTheSuccessorsTermWithinSessionTimeoutPlusFiveSeconds() {
        // each coordinator halts (as SIGKILL would) before committing a decision whose reason names it
        ReplicationHarness h = new ReplicationHarness(
                "zt", 2, i -> Map.of("pgops.coordinator.halt-before-commit", "halt-coordinator-" + i));
        h.awaitSettledOn(h.name(1));
        int owner = h.awaitOwner();
        int other = 1 - owner;
        String successor = h.instanceOf(other);
        String zombie = h.instanceOf(owner);
        long term = h.term();

        HttpResponse<String> r = post(
                h.coordinators.get(other) + "/clusters/zt/pause",
                "{\"reason\":\"halt-coordinator-" + (owner + 1) + "\"}",
                "erin");
        assertEquals(202, r.statusCode(), r.body());
        await("the owning coordinator to die between send and commit")
                .atMost(scaled(Duration.ofSeconds(30)))
                .until(() -> !h.stack.isAlive(h.coordinatorNames.get(owner)));
        long died = System.nanoTime();

        for (int node = 1; node <= 3; node++) {
            String agent = h.agent(node);
            String name = h.name(node);
            await("agent of " + h.name(node) + " to see a term newer than " + term + " within " + SUCCESSOR_VISIBLE
                            + " of the kill")
                    .atMost(SUCCESSOR_VISIBLE.minusNanos(System.nanoTime() - died))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> json(h.agentStatus(agent, name)).path("term").asLong() > term);
        }
        // the successor handles the command the zombie never committed: the cluster ends up paused once
        await("the successor to pause zt")
                .atMost(ReplicationHarness.SETTLE)
                .until(() -> h.topology()
                        .map(t -> t.path("paused").asBoolean()
                                && successor.equals(t.path("coordinator").asText()))
                        .orElse(false));

        List<TopologyChanged> committed = KafkaTap.events(h.stack.kafkaBootstrap(), Topics.TOPOLOGY).stream()
                .map(EventEnvelope::data)
                .filter(d ->
                        d instanceof TopologyChanged t && t.cluster().value().equals("zt"))
                .map(TopologyChanged.class::cast)
                .toList();
        assertTrue(
                committed.stream().noneMatch(t -> zombie.equals(t.coordinator()) && t.isPaused()),
                "the killed coordinator's uncommitted decision is never read: " + committed);
        assertTrue(
                committed.stream().anyMatch(t -> successor.equals(t.coordinator()) && t.isPaused()),
                "the successor's decision is read: " + committed);
    }
}
