package io.pgops.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgops.events.Topics;
import io.pgops.stack.Http;
import io.pgops.stack.auth.Tokens;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.testkit.TestStack;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Given the health-service and the audit-service running as processes against a real broker and a
 * real 3-node cluster: an event one service publishes is consumed and recorded by the other.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeOutageIsRecordedInTheAuditTrailIT {
    /** One multiplier for slow machines: every deadline below is scaled by it. */
    static final double SLOW = Double.parseDouble(System.getProperty("pgops.test.slowness", "1"));

    static final Duration OUTAGE_DETECTED = scaled(30);
    static final Duration RECOVERY_DETECTED = scaled(30);
    static final ObjectMapper JSON = new ObjectMapper();

    static TestStack stack;
    static String audit;
    static String outageCorrelation;

    static Duration scaled(int seconds) {
        return Duration.ofMillis((long) (seconds * 1000 * SLOW));
    }

    @BeforeAll
    static void startServices() {
        stack = TestStack.get();
        audit = stack.startService("audit-service", false, Map.of());
        stack.startService("health-service", true, Map.of("pgops.health.interval", "1s"));
    }

    @Test
    @Order(1)
    void whenTheAsyncStandbyStopsThenTheAuditTrailRecordsItAsUnreachable() {
        PgNode node3 = stack.cluster().get(2);
        node3.stop("immediate");

        JsonNode event = awaitEvent("io.pgops.health.node-unreachable.v1", "node3", OUTAGE_DETECTED);
        assertEquals("it", event.get("cluster").asText());
        assertEquals(node3.port(), event.at("/data/port").asInt());
        assertTrue(event.at("/data/consecutiveFailures").asInt() >= 3, event.toString());
        outageCorrelation = event.get("correlationId").asText();
        assertNotNull(outageCorrelation);
    }

    @Test
    @Order(2)
    void whenItComesBackThenItsRecoveryCarriesTheOutagesCorrelationId() {
        stack.cluster().get(2).start();

        JsonNode event = awaitEvent("io.pgops.health.node-reachable.v1", "node3", RECOVERY_DETECTED);
        assertEquals("standby", event.at("/data/role").asText());
        assertEquals(outageCorrelation, event.get("correlationId").asText());
    }

    @Test
    @Order(3)
    void aMalformedRecordGoesToTheDeadLetterTopicWithItsReasonAndIngestionCarriesOn() throws Exception {
        String bootstrap = stack.kafkaBootstrap();
        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        pp.put(ProducerConfig.ACKS_CONFIG, "all");
        String marker = "garbage-" + UUID.randomUUID();
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(pp, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.HEALTH_EVENTS, "it", marker.getBytes(StandardCharsets.UTF_8)))
                    .get();
        }
        Properties cp = new Properties();
        cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        cp.put(ConsumerConfig.GROUP_ID_CONFIG, "it-deadletter-" + UUID.randomUUID());
        cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(cp, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.DEADLETTER));
            ConsumerRecord<String, byte[]>[] found = new ConsumerRecord[1];
            await("the garbage record on " + Topics.DEADLETTER)
                    .atMost(scaled(30))
                    .until(() -> {
                        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                            if (marker.equals(new String(r.value(), StandardCharsets.UTF_8))) {
                                found[0] = r;
                            }
                        }
                        return found[0] != null;
                    });
            String reason = new String(
                    found[0].headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8);
            assertTrue(reason.contains("not valid JSON"), "the reason says what is wrong: " + reason);
        }
        // and the consumer carries on: the next outage is still recorded
        PgNode node2 = stack.cluster().get(1);
        node2.stop("immediate");
        awaitEvent("io.pgops.health.node-unreachable.v1", "node2", OUTAGE_DETECTED);
        node2.start();
    }

    @Test
    @Order(4)
    void aBadQueryIsAnsweredWithProblemJson() throws Exception {
        Http.Response r = Http.get(audit + "/audit/events?limit=0", TestStack.bearer(Tokens.VIEWER));
        assertEquals(400, r.status(), r.body());
        JsonNode problem = JSON.readTree(r.body());
        assertEquals(400, problem.get("status").asInt());
        assertEquals("limit", problem.at("/violations/0/field").asText(), r.body());
    }

    private static JsonNode awaitEvent(String type, String node, Duration within) {
        JsonNode[] found = new JsonNode[1];
        await(type + " for " + node + " in the audit trail")
                .atMost(within)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    Http.Response r =
                            Http.get(audit + "/audit/events?cluster=it&type=" + type, TestStack.bearer(Tokens.VIEWER));
                    if (r.status() != 200) {
                        return false;
                    }
                    // a page: {"items": [...], "next": cursor}
                    for (JsonNode e : JSON.readTree(r.body()).get("items")) {
                        if (node.equals(e.at("/data/node").asText())) {
                            found[0] = e;
                            return true;
                        }
                    }
                    return false;
                });
        return found[0];
    }
}
