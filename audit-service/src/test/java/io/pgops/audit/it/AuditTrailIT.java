package io.pgops.audit.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgops.audit.Samples;
import io.pgops.audit.domain.Checkpoints;
import io.pgops.events.CloudEventCodec;
import io.pgops.events.EventEnvelope;
import io.pgops.events.EventTypes;
import io.pgops.events.Topics;
import io.pgops.events.audit.ChainCheckpointed;
import io.pgops.stack.Http;
import io.pgops.stack.auth.Tokens;
import io.pgops.stack.testkit.TestStack;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged audit-service as a process, against a real broker and pgops' own PostgreSQL: what
 * is published on the pgops topics is recorded exactly once, and bad records are dead-lettered
 * without stopping ingestion.
 */
class AuditTrailIT {
    static final double SLOW = Double.parseDouble(System.getProperty("pgops.test.slowness", "1"));
    static final Duration RECORDED = scaled(60);
    static final ObjectMapper JSON = new ObjectMapper();

    static TestStack stack;
    static String audit;

    static Duration scaled(int seconds) {
        return Duration.ofMillis((long) (seconds * 1000 * SLOW));
    }

    @BeforeAll
    static void startTheAuditService() {
        stack = TestStack.get();
        audit = stack.startService("audit-service", false, Map.of("pgops.audit.checkpoint.interval", "2s"));
    }

    /** Issue 20: the service reaches pgops' own database over TLS verified against the stack's CA. */
    @Test
    void theServicesSessionsOnPgopsOwnDatabaseAreEncrypted() {
        String seen = await("the audit-service's sessions on pgops-db")
                .atMost(RECORDED)
                .until(
                        () -> stack.pgopsDb()
                                .sql("SELECT count(*) FILTER (WHERE s.ssl) || '/' || count(*) FROM pg_stat_activity a"
                                        + " JOIN pg_stat_ssl s USING (pid) WHERE a.usename = 'pgops'"
                                        + " AND a.datname = 'pgops' AND a.backend_type = 'client backend'"),
                        v -> !v.endsWith("/0"));
        String[] n = seen.split("/");
        org.junit.jupiter.api.Assertions.assertEquals(n[1], n[0], "encrypted/all sessions of pgops: " + seen);
    }

    @Test
    void replayingEveryTopicFromOffsetZeroAddsNoRowAndCountsEachEventAsADuplicate() throws Exception {
        String cluster = "replay-" + System.nanoTime() % 100000;
        List<EventEnvelope> events = new ArrayList<>();
        Instant t0 = Instant.parse("2026-11-25T02:15:00Z");
        for (int i = 0; i < 60; i++) {
            events.addAll(Samples.failover(cluster, t0.plusSeconds(60L * i)));
            events.add(Samples.promoteRequested(cluster, "db1", "alice@example.com", t0.plusSeconds(60L * i + 30)));
        }
        publish(events);
        awaitRows(audit, cluster, events.size());

        // a second consumer of the same trail, in a new group: it reads every topic from offset 0
        String replay = stack.startService(
                "audit-service",
                false,
                Map.of("mp.messaging.incoming.audit-in.group.id", "pgops-audit-replay-" + UUID.randomUUID()));
        await("the replaying instance to have seen all " + events.size() + " events again")
                .atMost(RECORDED)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> counter(replay, "duplicate") >= events.size());

        assertEquals(events.size(), rows(audit, cluster).size(), "replay added no row");
        JsonNode v = JSON.readTree(Http.get(audit + "/audit/verify", TestStack.bearer(Tokens.VIEWER))
                .body());
        assertTrue(v.get("intact").asBoolean(), v.toString());
    }

    @Test
    void badRecordsGoToTheDeadLetterTopicWithTheirReasonAndIngestionCarriesOn() throws Exception {
        String cluster = "bad-" + System.nanoTime() % 100000;
        EventEnvelope good = Samples.unreachable(cluster, "node3", Instant.now());
        Map<String, byte[]> noType = new HashMap<>(CloudEventCodec.headers(good));
        noType.remove("ce_type");
        Map<String, byte[]> unknownType = new HashMap<>(CloudEventCodec.headers(good));
        unknownType.put("ce_type", "io.pgops.health.node-exploded.v1".getBytes(StandardCharsets.UTF_8));
        String marker = UUID.randomUUID().toString();
        try (KafkaProducer<String, byte[]> p = Kafka.producer(stack.kafkaBootstrap())) {
            p.send(Kafka.record(
                            Topics.HEALTH_EVENTS,
                            cluster,
                            CloudEventCodec.headers(good),
                            ("{\"not json " + marker).getBytes(StandardCharsets.UTF_8)))
                    .get();
            p.send(Kafka.record(Topics.HEALTH_EVENTS, cluster, noType, CloudEventCodec.body(good)))
                    .get();
            p.send(Kafka.record(Topics.HEALTH_EVENTS, cluster, unknownType, CloudEventCodec.body(good)))
                    .get();
            p.send(Kafka.record(good)).get();
        }

        Map<String, String> reasons = new HashMap<>();
        try (KafkaConsumer<String, byte[]> c = Kafka.consumer(stack.kafkaBootstrap(), Topics.DEADLETTER)) {
            await("three dead letters of cluster " + cluster).atMost(RECORDED).until(() -> {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (cluster.equals(r.key())) {
                        String reason = new String(
                                r.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8);
                        reasons.put(reason, r.topic());
                    }
                }
                return reasons.size() == 3;
            });
        }
        String all = String.join(" | ", reasons.keySet());
        assertTrue(all.contains("not valid JSON"), all);
        assertTrue(all.contains("missing CloudEvents attribute ce_type"), all);
        assertTrue(all.contains("unknown event type io.pgops.health.node-exploded.v1"), all);
        awaitRows(audit, cluster, 1);
        assertEquals(good.id(), rows(audit, cluster).getFirst().get("eventId").asText());
    }

    @Test
    void theChainHeadIsPublishedOnTheAuditTopicAsACheckpointSignedByTheService() throws Exception {
        String cluster = "cp-" + System.nanoTime() % 100000;
        publish(List.of(Samples.unreachable(cluster, "node1", Instant.now())));
        awaitRows(audit, cluster, 1);
        long seq = rows(audit, cluster).getFirst().get("seq").asLong();

        ChainCheckpointed[] found = new ChainCheckpointed[1];
        try (KafkaConsumer<String, byte[]> c = Kafka.consumer(stack.kafkaBootstrap(), Topics.AUDIT_EVENTS)) {
            await("a checkpoint of row " + seq + " or later on " + Topics.AUDIT_EVENTS)
                    .atMost(RECORDED)
                    .until(() -> {
                        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                            Map<String, byte[]> headers = new HashMap<>();
                            r.headers().forEach(h -> headers.put(h.key(), h.value()));
                            if (CloudEventCodec.decode(headers, r.value()).data() instanceof ChainCheckpointed cp
                                    && cp.seq() >= seq) {
                                found[0] = cp;
                            }
                        }
                        return found[0] != null;
                    });
        }
        ChainCheckpointed cp = found[0];
        assertEquals(null, Checkpoints.untrusted(cp, null), "signature valid");
        // what an outside verifier does: the chain up to the checkpoint is intact and ends in the signed hash
        JsonNode v = JSON.readTree(Http.get(audit + "/audit/verify?to=" + cp.seq(), TestStack.bearer(Tokens.VIEWER))
                .body());
        assertTrue(v.get("intact").asBoolean(), v.toString());
        assertEquals(cp.hash(), v.at("/lastIntact/hash").asText(), v.toString());
    }

    /**
     * A zombie coordinator's decisions, written in a transaction its successor aborted, then the real
     * owner's committed ones on the same partition: only the committed ones are in the trail. Read
     * uncommitted, the aborted ones would be recorded first, as facts, in an append-only chain.
     */
    @Test
    void aZombiesAbortedDecisionNeverEntersTheTrailWhileTheOwnersCommittedOneDoes() throws Exception {
        String cluster = "zombie-" + System.nanoTime() % 100000;
        Instant t0 = Instant.now().minusSeconds(120);
        List<EventEnvelope> aborted = Samples.failover(cluster, t0).stream()
                .filter(e -> Topics.REPLICATION_EVENTS.equals(
                        EventTypes.topicOf(e.data().getClass())))
                .toList();
        List<EventEnvelope> committed = Samples.failover(cluster, t0.plusSeconds(60)).stream()
                .filter(e -> Topics.REPLICATION_EVENTS.equals(
                        EventTypes.topicOf(e.data().getClass())))
                .toList();
        assertTrue(!aborted.isEmpty() && !committed.isEmpty(), "the sample failover has replication events");
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-coordinator-" + UUID.randomUUID());
        try (KafkaProducer<String, byte[]> zombie =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            zombie.initTransactions();
            zombie.beginTransaction();
            for (EventEnvelope e : aborted) {
                zombie.send(Kafka.record(e)).get(); // on the partition now, visible read_uncommitted
            }
            zombie.abortTransaction();
        }
        publish(committed);
        awaitRows(audit, cluster, committed.size());

        List<String> recorded = rows(audit, cluster).stream()
                .map(r -> r.get("eventId").asText())
                .toList();
        for (EventEnvelope e : aborted) {
            assertTrue(
                    !recorded.contains(e.id()), "aborted " + e.data().getClass().getSimpleName() + " recorded");
        }
        assertEquals(
                committed.stream().map(EventEnvelope::id).sorted().toList(),
                recorded.stream().sorted().toList(),
                "exactly the committed decisions are in the trail");
    }

    static void publish(List<EventEnvelope> events) throws Exception {
        try (KafkaProducer<String, byte[]> p = Kafka.producer(stack.kafkaBootstrap())) {
            for (EventEnvelope e : events) {
                p.send(Kafka.record(e));
            }
            p.flush();
        }
    }

    static void awaitRows(String service, String cluster, int n) {
        await(n + " events of " + cluster + " in the audit trail")
                .atMost(RECORDED)
                .pollInterval(Duration.ofMillis(300))
                .until(() -> rows(service, cluster).size() >= n);
    }

    static List<JsonNode> rows(String service, String cluster) throws Exception {
        Http.Response r =
                Http.get(service + "/audit/events?limit=1000&cluster=" + cluster, TestStack.bearer(Tokens.VIEWER));
        List<JsonNode> out = new ArrayList<>();
        if (r.status() == 200) {
            JSON.readTree(r.body()).get("items").forEach(out::add);
        }
        return out;
    }

    static double counter(String service, String outcome) {
        for (String line : Http.get(service + "/q/metrics", TestStack.bearer(Tokens.VIEWER))
                .body()
                .split("\n")) {
            if (line.startsWith("pgops_audit_events_total") && line.contains("outcome=\"" + outcome + "\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }
}
