package io.pgops.replication.it;

import static io.pgops.replication.it.ReplicationHarness.post;
import static io.pgops.replication.it.ReplicationHarness.scaled;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.EventEnvelope;
import io.pgops.events.Topics;
import io.pgops.events.model.Lsn;
import io.pgops.events.replication.FailoverCompleted;
import io.pgops.events.replication.FailoverRefused;
import io.pgops.events.replication.FailoverStarted;
import io.pgops.events.replication.TopologyChanged;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.testkit.KafkaTap;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The coordinator that owns a cluster dies (halted, as SIGKILL would) in the middle of a switchover:
 * right after the decision was committed, right after the old primary was stopped, right after the
 * candidate was promoted. Each time its successor takes the cluster over and finishes the change: one
 * writable node, the target, within the deadline; the incident keeps one correlation id from
 * {@code FailoverStarted} to {@code FailoverCompleted}; no acknowledged row is lost.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UnfinishedChangeIT {
    /** Session timeout (6 s) + takeover + the rest of the change, with room for a loaded machine. */
    private static final Duration FINISHED = scaled(Duration.ofSeconds(60));

    private static final String CLUSTER = "uc";

    /**
     * One cluster for every case, each starting from where the one before left it (settled, both coordinators
     * running: the one halted is started again): building a 3-node cluster with its front door and two coordinators
     * costs more than a case. Both coordinators carry the hook for every step; a case's reason names its step.
     */
    private ReplicationHarness h;

    @BeforeAll
    void cluster() {
        h = new ReplicationHarness(CLUSTER, 2, i -> Map.of("pgops.coordinator.halt-at", "*:halt-the-owner"));
    }

    @AfterAll
    void release() {
        if (h != null) {
            h.release();
        }
    }

    /** Settled on whichever node is the primary now, both coordinators running and one owning the cluster. */
    private PgNode settledPrimary() {
        for (String c : h.coordinatorNames) {
            if (!h.stack.isAlive(c)) {
                h.stack.restartService(c); // the one a case before halted
            }
        }
        String primary = h.topology().orElseThrow().path("targetPrimary").asText();
        h.awaitSettledOn(primary);
        h.awaitOwner();
        return h.nodes.stream()
                .filter(n -> n.name().equals(primary))
                .findFirst()
                .orElseThrow();
    }

    /** A standby of the settled cluster, synchronous or not as asked. */
    private PgNode standby(boolean sync) {
        com.fasterxml.jackson.databind.JsonNode members =
                h.topology().orElseThrow().path("members");
        for (com.fasterxml.jackson.databind.JsonNode m : members) {
            if ("standby".equals(m.path("role").asText()) && m.path("sync").asBoolean() == sync) {
                String name = m.path("name").asText();
                return h.nodes.stream()
                        .filter(n -> n.name().equals(name))
                        .findFirst()
                        .orElseThrow();
            }
        }
        throw new AssertionError("no " + (sync ? "synchronous" : "asynchronous") + " standby in " + members);
    }

    @ParameterizedTest(name = "killed after {0}")
    @ValueSource(strings = {"started", "fenced", "promoted"})
    @Order(1)
    void theSuccessorFinishesTheChangeWithOneWritablePrimaryAndOneCorrelationId(String step) throws Exception {
        finishedBySuccessor(step, false);
    }

    /**
     * The owner dies right after the promotion, and the new primary's PostgreSQL stops before any coordinator
     * renewed its lease (its agent stops it so when the other agents cannot confirm it: a node promoted a moment
     * ago holds no lease credential to show them; a CI run found the successor refusing the change then,
     * {@code candidate-not-ready}, because it could not prepare a stopped candidate). The successor starts it
     * and finishes the change.
     */
    @Test
    @Order(2)
    void aPromotedCandidateFoundStoppedIsStartedAndTheChangeFinished() throws Exception {
        finishedBySuccessor("promoted", true);
    }

    private void finishedBySuccessor(String step, boolean stopCandidate) throws Exception {
        settledPrimary();
        PgNode to = standby(true);
        try (ReplicationHarness.Writer w = h.new Writer("acked_" + step + (stopCandidate ? "_stopped" : ""))) {
            w.awaitAcked(30);
            long died = haltTheOwnerDuring(h, CLUSTER, to, step);
            if (stopCandidate) {
                to.stop("immediate");
                assertTrue(!to.isRunning(), to.name() + " stopped");
            }
            String correlation = startedCorrelation(h, CLUSTER);
            await("the successor to finish the change within " + FINISHED + " of the death")
                    .atMost(FINISHED)
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> ended(h, CLUSTER, correlation) != null);
            long finishedMillis = (System.nanoTime() - died) / 1_000_000;
            EventEnvelope end = ended(h, CLUSTER, correlation);
            assertTrue(
                    end.data() instanceof FailoverCompleted, "the change was finished, not rolled back: " + end.data());
            assertEquals(
                    to.name(), ((FailoverCompleted) end.data()).newPrimary().value());
            System.out.printf(
                    "killed after %s: the successor finished the change %d ms after the death%n", step, finishedMillis);

            h.awaitSettledOn(to.name());
            assertEquals("primary", to.role());
            assertEquals(Set.of(to.name()), writable(h), "exactly one writable node, the target");
            w.awaitAcked(20);
            w.close();
            assertEquals(List.of(), ReplicationHarness.missing(to, w.table(), w.acked), "acknowledged rows lost");
        }
    }

    /**
     * The owner dies right after the fence, and the old primary's agent dies with it: nothing can read the
     * old primary's shutdown checkpoint any more, and the candidate is the asynchronous standby, so only the
     * fence LSN the owner recorded in the committed topology before promoting proves what the candidate
     * must replay. The successor promotes it past that LSN: one writable node, no acknowledged row lost.
     * (Without the recorded LSN the successor refuses, {@code unfinished-change-unsafe}.) Last: the old
     * primary stays without its agent.
     */
    @Test
    @Order(3)
    void withTheOldPrimarysAgentGoneTooTheSuccessorPromotesPastTheRecordedFenceLsn() throws Exception {
        PgNode old = settledPrimary();
        PgNode to = standby(false);
        try (ReplicationHarness.Writer w = h.new Writer("acked_fence")) {
            w.awaitAcked(30);
            haltTheOwnerDuring(h, CLUSTER, to, "fenced");
            h.stack.killService(h.door.agentNames().get(old.name()));
            String correlation = startedCorrelation(h, CLUSTER);
            Lsn recorded = KafkaTap.events(h.stack.kafkaBootstrap(), Topics.REPLICATION_EVENTS).stream()
                    .filter(e -> correlation.equals(e.correlationId())
                            && e.data() instanceof TopologyChanged t
                            && t.fenceLsn() != null)
                    .map(e -> ((TopologyChanged) e.data()).fenceLsn())
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no topology of the change recorded a fence LSN"));
            await("the successor to finish the change")
                    .atMost(FINISHED)
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> ended(h, CLUSTER, correlation) != null);
            EventEnvelope end = ended(h, CLUSTER, correlation);
            FailoverCompleted done = assertInstanceOf(FailoverCompleted.class, end.data(), "finished, not refused");
            assertEquals(to.name(), done.newPrimary().value());
            assertTrue(
                    done.switchLsn().compareTo(recorded) >= 0,
                    "promoted at " + done.switchLsn() + ", past the recorded fence " + recorded);
            h.awaitSettledOn(to.name(), old.name());
            assertEquals(Set.of(to.name()), writable(h), "exactly one writable node, the target");
            w.awaitAcked(20);
            w.close();
            assertEquals(List.of(), ReplicationHarness.missing(to, w.table(), w.acked), "acknowledged rows lost");
        }
    }

    /**
     * Asks for a switchover to {@code to} with the hook's marker in its reason and waits until the owning
     * coordinator halted after {@code step}; when it died.
     */
    private static long haltTheOwnerDuring(ReplicationHarness h, String cluster, PgNode to, String step) {
        String body = "{\"target\":\"" + to.name() + "\",\"reason\":\"halt-the-owner after " + step + "\"}";
        HttpResponse<String> r = post(h.api() + "/clusters/" + cluster + "/switchover", body, "dora");
        assertEquals(202, r.statusCode(), r.body());
        int[] refusals = {h.events(FailoverRefused.class).size()}; // those of the cases before are not this one's
        try {
            await("the owning coordinator to die after " + step)
                    .atMost(scaled(Duration.ofSeconds(90)))
                    .until(() -> {
                        // this test is about the successor: a first attempt refused for a passing reason
                        // (a report that came late on a loaded machine) is simply asked again
                        List<FailoverRefused> refused = h.events(FailoverRefused.class);
                        if (refused.size() > refusals[0]) {
                            refusals[0] = refused.size();
                            System.out.printf(
                                    "switchover refused before %s, asked again: %s%n", step, refused.getLast());
                            if (refusals[0] > 3) {
                                throw new AssertionError("refused " + refusals[0] + " times: " + refused);
                            }
                            post(h.api() + "/clusters/" + cluster + "/switchover", body, "dora");
                        }
                        return h.coordinatorNames.stream().anyMatch(n -> !h.stack.isAlive(n));
                    });
        } catch (org.awaitility.core.ConditionTimeoutException ex) {
            for (String c : h.coordinatorNames) {
                System.out.println("---- " + c + "\n" + h.logTail(c, 60));
            }
            throw ex;
        }
        long died = System.nanoTime();
        assertEquals(
                1,
                h.coordinatorNames.stream().filter(h.stack::isAlive).count(),
                "one coordinator died, the other lives on");
        return died;
    }

    /** The correlation id of the cluster's last FailoverStarted: the change its owner died in. */
    private static String startedCorrelation(ReplicationHarness h, String cluster) {
        return await("FailoverStarted of " + cluster)
                .atMost(scaled(Duration.ofSeconds(30)))
                .until(
                        () -> KafkaTap.events(h.stack.kafkaBootstrap(), Topics.REPLICATION_EVENTS).stream()
                                .filter(e -> e.data() instanceof FailoverStarted f
                                        && f.cluster().value().equals(cluster))
                                .map(EventEnvelope::correlationId)
                                .reduce((first, last) -> last) // the attempt the owner died in
                                .orElse(null),
                        c -> c != null);
    }

    /** The FailoverCompleted or FailoverRefused of that correlation id, or null. */
    private static EventEnvelope ended(ReplicationHarness h, String cluster, String correlation) {
        return KafkaTap.events(h.stack.kafkaBootstrap(), Topics.REPLICATION_EVENTS).stream()
                .filter(e -> (e.data() instanceof FailoverCompleted || e.data() instanceof FailoverRefused)
                        && correlation.equals(e.correlationId()))
                .findFirst()
                .orElse(null);
    }

    private static Set<String> writable(ReplicationHarness h) {
        Set<String> w = new java.util.TreeSet<>();
        for (int i = 1; i <= 3; i++) {
            PgNode n = h.node(i);
            if (n.isRunning() && "primary".equals(n.role())) {
                w.add(n.name());
            }
        }
        return w;
    }
}
