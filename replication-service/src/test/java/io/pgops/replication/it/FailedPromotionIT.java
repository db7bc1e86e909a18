package io.pgops.replication.it;

import static io.pgops.replication.it.ReplicationHarness.scaled;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgops.events.EventEnvelope;
import io.pgops.events.replication.FailoverCompleted;
import io.pgops.events.replication.FailoverRefused;
import io.pgops.events.replication.FailoverStarted;
import io.pgops.events.replication.TopologyChanged;
import io.pgops.stack.postgres.PgNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The primary's host dies and the synchronous standby's promotion fails (its data directory cannot take a new file,
 * so the {@code ALTER SYSTEM} the promotion starts with fails), strict synchronous mode. Until the candidate takes a
 * write, the commits acknowledged so far are on it alone: the topology the refusal publishes records it, not the
 * standby it was to name, as the synchronous one. So when the candidate's host dies in its turn, the asynchronous
 * standby — which may lack acknowledged commits — is not promoted ({@code no-eligible-candidate}); before, the
 * topology named the candidate's would-be standby and a later failover promoted it. Once the candidate's host is back
 * and can promote, the change ends with it promoted, under the change's incident id, and no acknowledged write lost.
 * The coordinator keeps its default {@code agent-timeout} (120 s): a promotion tried again whose agent is killed
 * mid-request ends as "outcome unknown" once that agent refuses connections, instead of holding the cluster's
 * decisions until the timeout (CI saw that hold before {@code AgentClient.GONE_GRACE}).
 */
class FailedPromotionIT {
    private static final String CLUSTER = "fp";

    @Test
    void aCandidateWhosePromotionFailedKeepsTheSynchronousRoleAndNoStandbyLackingCommitsIsPromoted() throws Exception {
        ReplicationHarness h = new ReplicationHarness(
                CLUSTER,
                1,
                Map.of(
                        "pgops.coordinator.failover-cooldown",
                        "2s",
                        "pgops.clusters." + CLUSTER + ".synchronous-mode",
                        "strict"));
        PgNode old = h.node(1);
        PgNode cand = h.node(2);
        PgNode async = h.node(3);
        Path dataDir = cand.dataDir();
        try {
            h.awaitSettledOn(old.name());
            assertEquals(List.of(cand.name()), recordedSync(h), "node2 is the synchronous standby");
            try (ReplicationHarness.Writer w = h.new Writer("acked")) {
                w.awaitAcked(30);
                // the candidate keeps streaming (pg_wal and the rest stay writable) but its promotion cannot write
                // postgresql.auto.conf
                Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("r-x------"));
                h.stack.killService(h.door.agentNames().get(old.name()));
                old.kill();

                FailoverRefused failed = await("the promotion of " + cand.name() + " to fail")
                        .atMost(scaled(Duration.ofSeconds(60)))
                        .pollInterval(Duration.ofMillis(200))
                        .until(
                                () -> h.events(FailoverRefused.class).stream()
                                        .filter(r -> r.code().startsWith("promote-"))
                                        .reduce((a, b) -> b)
                                        .orElse(null),
                                r -> r != null);
                assertEquals(cand.name(), failed.candidate().value(), failed.toString());
                String incident = h.lastCorrelation(FailoverStarted.class);
                TopologyChanged withRefusal = await("the topology published with the refusal")
                        .atMost(Duration.ofSeconds(10))
                        .ignoreExceptions()
                        .until(() -> topologyOf(h, failed), t -> t != null);
                assertEquals(cand.name(), withRefusal.targetPrimary().value());
                assertEquals(
                        List.of(cand.name()),
                        withRefusal.members().stream()
                                .filter(io.pgops.events.replication.Member::sync)
                                .map(m -> m.name().value())
                                .toList(),
                        "the topology of the refusal records the candidate, which holds every acknowledged commit, as"
                                + " the synchronous standby: " + withRefusal.members());

                // the candidate's host dies too: nothing may promote the asynchronous standby
                h.stack.killService(h.door.agentNames().get(cand.name()));
                cand.kill();
                FailoverRefused held = await("the coordinator to hold with " + cand.name() + " lost too")
                        .atMost(scaled(Duration.ofSeconds(90)))
                        .pollInterval(Duration.ofMillis(200))
                        .until(
                                () -> h.events(FailoverRefused.class).stream()
                                        .filter(r -> r.code().equals("no-eligible-candidate"))
                                        .reduce((a, b) -> b)
                                        .orElse(null),
                                r -> r != null);
                System.out.println("held: " + held.reason());
                assertEquals(
                        List.of(),
                        h.events(FailoverCompleted.class),
                        "no failover completed: " + h.events(FailoverCompleted.class));
                assertEquals("standby", async.role(), async.name() + " stays a standby");

                // the host comes back able to promote: the change ends with the candidate promoted
                Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
                cand.start();
                h.stack.restartService(h.door.agentNames().get(cand.name()));
                FailoverCompleted done = await("the candidate promoted at a later try")
                        .atMost(scaled(Duration.ofSeconds(90)))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> h.last(FailoverCompleted.class), d -> d != null);
                assertEquals(cand.name(), done.newPrimary().value());
                assertEquals(incident, h.lastCorrelation(FailoverCompleted.class), "one incident id");
                w.awaitAcked(20);
                w.close();
                assertEquals(List.of(), ReplicationHarness.missing(cand, "acked", w.acked), "acknowledged rows lost");
            }
            old.start();
            h.stack.restartService(h.door.agentNames().get(old.name()));
            h.awaitSettledOn(cand.name());
            assertEquals(List.of(cand.name()), writable(h), "exactly one writable node");
        } catch (AssertionError | RuntimeException e) {
            h.printLogs(80);
            throw e;
        } finally {
            Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
            h.release();
        }
    }

    /** The synchronous standbys the committed topology records. */
    private static List<String> recordedSync(ReplicationHarness h) {
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode m : h.topology().orElseThrow().path("members")) {
            if (m.path("sync").asBoolean()) {
                out.add(m.path("name").asText());
            }
        }
        return out;
    }

    /** The topology published with the refusal: the first after it. */
    private static TopologyChanged topologyOf(ReplicationHarness h, FailoverRefused refused) {
        boolean seen = false;
        for (EventEnvelope e : h.events()) {
            if (e.data().equals(refused)) {
                seen = true;
            } else if (seen && e.data() instanceof TopologyChanged t) {
                return t;
            }
        }
        throw new AssertionError("no topology published with " + refused);
    }

    private static List<String> writable(ReplicationHarness h) {
        TreeSet<String> w = new TreeSet<>();
        for (PgNode n : h.nodes) {
            if (n.isRunning() && "primary".equals(n.role())) {
                w.add(n.name());
            }
        }
        return List.copyOf(w);
    }
}
