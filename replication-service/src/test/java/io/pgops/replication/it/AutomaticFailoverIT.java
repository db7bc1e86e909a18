package io.pgops.replication.it;

import static io.pgops.replication.it.ReplicationHarness.scaled;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgops.events.CloudEventCodec;
import io.pgops.events.EventEnvelope;
import io.pgops.events.Topics;
import io.pgops.events.health.PrimaryUnreachable;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.events.replication.FailoverCompleted;
import io.pgops.events.replication.FailoverStarted;
import io.pgops.events.replication.LeadershipChange;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.testkit.KafkaTap;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The coordinator fails over by itself, in strict synchronous mode (the default): kill -9 of the primary's
 * agent and postmaster (the host dies) makes the recorded synchronous standby the primary, with every
 * acknowledged write, one incident id from start to end; the old node, back, rejoins as a standby. Killing
 * only the primary's agent is no failover: the coordinator's direct probe still reaches PostgreSQL.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutomaticFailoverIT {
    /** Detection (2 looks) + promotion, with room for a loaded machine. */
    private static final Duration FAILED_OVER = scaled(Duration.ofSeconds(30));

    /**
     * The cluster of the first two cases (the same default settings): the agent-only kill first, which leaves it
     * settled on its first primary, then the host's death; released by the second (building a cluster costs more
     * than a case).
     */
    private static ReplicationHarness shared;

    private static ReplicationHarness shared() {
        if (shared == null) {
            shared = new ReplicationHarness("af", 1);
        }
        return shared;
    }

    @AfterAll
    static void releaseShared() {
        if (shared != null) {
            shared.release();
        }
    }

    @Test
    @Order(2)
    void theHostOfThePrimaryDiesAndTheSyncStandbyTakesOverWithEveryAcknowledgedWrite() {
        ReplicationHarness h = shared();
        try {
            h.awaitSettledOn(h.name(1));
            PgNode old = h.node(1);
            PgNode sync = syncStandby(h);
            try (ReplicationHarness.Writer w = h.new Writer("acked")) {
                w.awaitAcked(30);
                long killed = System.nanoTime();
                h.stack.killService(h.door.agentNames().get(old.name()));
                old.kill();
                FailoverCompleted done = await("an automatic failover of " + old.name())
                        .atMost(FAILED_OVER)
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> h.last(FailoverCompleted.class), d -> d != null);
                long completedMillis = (System.nanoTime() - killed) / 1_000_000;
                assertEquals(LeadershipChange.FAILOVER, done.kind());
                assertEquals(old.name(), done.oldPrimary().value());
                assertEquals(sync.name(), done.newPrimary().value(), "the recorded synchronous standby");
                w.awaitAcked(1);
                long firstAckMillis = (w.lastAckNanos() - killed) / 1_000_000;
                System.out.printf(
                        "automatic failover: completed %d ms after the kill, first acknowledged write %d ms after"
                                + " it%n",
                        completedMillis, firstAckMillis);

                String corr = h.lastCorrelation(FailoverCompleted.class);
                assertEquals(corr, h.lastCorrelation(FailoverStarted.class), "one incident id");
                assertEquals(Set.of(sync.name()), writable(h), "exactly one writable node");
                // what the operator's Prometheus scrapes: the owner counted the failover and names the new
                // primary; the new primary's agent holds a lease
                String member = "member=\"" + sync.name() + "\"";
                await("the failover in the coordinator's and the new primary's metrics")
                        .atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(200))
                        .untilAsserted(() -> {
                            assertEquals(
                                    1.0,
                                    metric(
                                            h.api(),
                                            "pgops_replication_changes_total",
                                            "cluster=\"af\"",
                                            "kind=\"failover\""));
                            assertEquals(
                                    1.0, metric(h.api(), "pgops_replication_member_role", member, "role=\"primary\""));
                            assertEquals(
                                    1.0,
                                    metric(
                                            h.door.agentUrls().get(sync.name()),
                                            "pgops_replication_lease_held",
                                            member));
                        });
                w.awaitAcked(20);
                w.close();
                assertEquals(List.of(), ReplicationHarness.missing(sync, "acked", w.acked), "acknowledged rows lost");
            }

            old.start(); // the host comes back: PostgreSQL first, writable on the old timeline, then its agent
            h.stack.restartService(h.door.agentNames().get(old.name()));
            h.awaitSettledOn(sync.name());
            assertEquals("standby", old.role());
            assertEquals(Set.of(sync.name()), writable(h));
        } finally {
            h.release();
        }
    }

    @Test
    @Order(1)
    void killingOnlyThePrimarysAgentIsNoFailover() {
        ReplicationHarness h = shared();
        h.awaitSettledOn(h.name(1));
        PgNode primary = h.node(1);
        long term = h.term();
        try (ReplicationHarness.Writer w = h.new Writer("agw")) {
            w.awaitAcked(20);
            long killed = System.nanoTime();
            h.stack.killService(h.door.agentNames().get(primary.name()));
            // 12 s: many times the detection (two looks 300 ms apart), and more than the 3 lease ttls (9 s) after
            // which an answering agent that renews nothing would count as cut off
            long until = killed + Duration.ofSeconds(12).toNanos();
            await("12 s without a failover")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        assertEquals("primary", primary.role(), "PostgreSQL stays the primary");
                        assertEquals(
                                List.of(),
                                KafkaTap.events(h.stack.kafkaBootstrap(), Topics.REPLICATION_EVENTS).stream()
                                        .filter(e -> e.data() instanceof FailoverStarted f
                                                && f.cluster().value().equals(h.cluster))
                                        .toList(),
                                "no FailoverStarted");
                        return System.nanoTime() > until;
                    });
            assertEquals(term, h.term(), "no new term but the takeover's");
            // scenario 3's write gap: what the agent's absence costs beyond its own restart (HAProxy cannot
            // route to a primary whose agent does not answer /primary, by design)
            long restarting = System.nanoTime();
            h.stack.restartService(h.door.agentNames().get(primary.name()));
            long ready = System.nanoTime();
            w.awaitAcked(1);
            long firstWrite = w.ackedAt.values().stream()
                    .mapToLong(Long::longValue)
                    .filter(t -> t - restarting > 0)
                    .min()
                    .orElseThrow();
            System.out.printf(
                    "agent killed alone: no failover; started again, ready in %d ms; the first write %d ms after"
                            + " it was ready%n",
                    (ready - restarting) / 1_000_000, (firstWrite - ready) / 1_000_000);
        }
        h.awaitSettledOn(primary.name());
    }

    /**
     * The owner dies (halted, as SIGKILL would) right after it fenced the dead primary in an automatic
     * failover: its successor takes the cluster over and finishes the change under the same incident id,
     * with the synchronous standby the old primary named when the failover started.
     */
    @Test
    void theOwnerDiesMidFailoverAndItsSuccessorFinishesTheSameIncident() {
        ReplicationHarness h = new ReplicationHarness(
                "afz", 2, i -> java.util.Map.of("pgops.coordinator.halt-at", "fenced:automatic failover"));
        try {
            h.awaitSettledOn(h.name(1));
            h.awaitOwner();
            PgNode old = h.node(1);
            PgNode sync = syncStandby(h);
            try (ReplicationHarness.Writer w = h.new Writer("acked")) {
                w.awaitAcked(30);
                h.stack.killService(h.door.agentNames().get(old.name()));
                old.kill();
                await("the owning coordinator to die after the fence")
                        .atMost(FAILED_OVER)
                        .until(() -> h.coordinatorNames.stream().anyMatch(n -> !h.stack.isAlive(n)));
                FailoverCompleted done = await("the successor to finish the failover")
                        .atMost(scaled(Duration.ofSeconds(60)))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> h.last(FailoverCompleted.class), d -> d != null);
                assertEquals(sync.name(), done.newPrimary().value());
                assertEquals(
                        h.lastCorrelation(FailoverStarted.class),
                        h.lastCorrelation(FailoverCompleted.class),
                        "one incident id from start to end");
                assertEquals(Set.of(sync.name()), writable(h), "exactly one writable node");
                w.awaitAcked(20);
                w.close();
                assertEquals(List.of(), ReplicationHarness.missing(sync, "acked", w.acked), "acknowledged rows lost");
            }
        } finally {
            h.release();
        }
    }

    /**
     * The health-service's {@code PrimaryUnreachable} makes the owner look at once: about a healthy primary
     * nothing follows (one observer's say never promotes); about a dead one the owner's own looks confirm it
     * and the incident carries the breach's correlation id. The owner's own loop looks only every 5 s here,
     * so it is the breach that starts the looks.
     */
    @Test
    void aHealthBreachMakesTheOwnerLookAtOnceButOnlyItsOwnLooksPromote() {
        ReplicationHarness h =
                new ReplicationHarness("hb", 1, java.util.Map.of("pgops.coordinator.reconcile-interval", "5s"));
        try {
            h.awaitSettledOn(h.name(1));
            PgNode primary = h.node(1);
            PgNode sync = syncStandby(h);
            publishBreach(h, "hb", primary.name());
            long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            await("8 s without a failover on a false alarm")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        assertEquals(null, h.last(FailoverCompleted.class), "a false alarm promoted");
                        return System.nanoTime() > until;
                    });
            assertEquals("primary", primary.role());

            long killed = System.nanoTime();
            h.stack.killService(h.door.agentNames().get(primary.name()));
            primary.kill();
            String breach = publishBreach(h, "hb", primary.name());
            FailoverCompleted done = await("the failover the breach started")
                    .atMost(FAILED_OVER)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> h.last(FailoverCompleted.class), d -> d != null);
            System.out.printf(
                    "failover on a health breach: completed %d ms after the kill%n",
                    (System.nanoTime() - killed) / 1_000_000);
            assertEquals(sync.name(), done.newPrimary().value());
            assertEquals(breach, h.lastCorrelation(FailoverStarted.class), "the breach names the incident");
            assertEquals(breach, h.lastCorrelation(FailoverCompleted.class));
        } finally {
            h.release();
        }
    }

    /** Publishes a PrimaryUnreachable as the health-service does; its correlation id. */
    private static String publishBreach(ReplicationHarness h, String cluster, String node) {
        EventEnvelope env = EventEnvelope.wrap(
                new PrimaryUnreachable(
                        ClusterId.of(cluster),
                        NodeName.of(node),
                        3,
                        "connection refused",
                        null,
                        Instant.now().truncatedTo(ChronoUnit.MICROS)),
                "/pgops/health-service",
                null);
        java.util.Properties p = new java.util.Properties();
        p.put("bootstrap.servers", h.stack.kafkaBootstrap());
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> r =
                    new ProducerRecord<>(Topics.HEALTH_EVENTS, env.kafkaKey(), CloudEventCodec.body(env));
            CloudEventCodec.headers(env).forEach((k, v) -> r.headers().add(k, v));
            producer.send(r).get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not publish the breach", e);
        }
        return env.correlationId();
    }

    /** The standby the settled topology records as synchronous. */
    private static PgNode syncStandby(ReplicationHarness h) {
        String name = await("a recorded synchronous standby")
                .atMost(ReplicationHarness.SETTLE)
                .until(
                        () -> {
                            for (JsonNode m : h.topology().orElseThrow().path("members")) {
                                if (m.path("sync").asBoolean()) {
                                    return m.path("name").asText();
                                }
                            }
                            return null;
                        },
                        n -> n != null);
        return h.nodes.stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    private static Set<String> writable(ReplicationHarness h) {
        Set<String> w = new TreeSet<>();
        for (int i = 1; i <= 3; i++) {
            PgNode n = h.node(i);
            if (n.isRunning() && "primary".equals(n.role())) {
                w.add(n.name());
            }
        }
        assertTrue(w.size() <= 1, "two writable nodes: " + w);
        return w;
    }

    /** A series' value in {@code base}'s Prometheus scrape: the line of {@code name} whose labels hold all of {@code labels}. */
    private static double metric(String base, String name, String... labels) {
        String body = ReplicationHarness.get(base + "/q/metrics").body();
        for (String line : body.split("\n")) {
            if (!line.startsWith(name + "{")) {
                continue;
            }
            String labelPart = line.substring(name.length(), line.lastIndexOf('}') + 1);
            if (java.util.Arrays.stream(labels).allMatch(labelPart::contains)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }
}
