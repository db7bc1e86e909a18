package io.pgops.backup.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pgops.backup.domain.WalSegment;
import io.pgops.events.CloudEventCodec;
import io.pgops.events.EventEnvelope;
import io.pgops.events.Topics;
import io.pgops.events.backup.WalArchiveGapDetected;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Role;
import io.pgops.events.model.Term;
import io.pgops.events.model.Timeline;
import io.pgops.events.replication.Member;
import io.pgops.events.replication.TopologyChanged;
import io.pgops.stack.auth.Tokens;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.testkit.KafkaTap;
import io.pgops.stack.testkit.PgopsTestResource;
import io.pgops.stack.testkit.RestAuth;
import io.pgops.stack.testkit.TestStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * WAL archiving inside the service, through the broker: it streams the inventory's primary into its repository; a
 * {@code TopologyChanged} on {@code pgops.topology} naming another current primary re-points it there; a segment
 * deleted from the archive is published as one {@code WalArchiveGapDetected}.
 */
@QuarkusTest
@QuarkusTestResource(
        value = PgopsTestResource.class,
        initArgs = @ResourceArg(name = "cluster", value = "true"),
        restrictToAnnotatedClass = true)
@QuarkusTestResource(value = WalItConfig.class, restrictToAnnotatedClass = true)
class WalArchivingServiceIT {

    @BeforeEach
    void sendATokenOfViewer() {
        RestAuth.as(Tokens.VIEWER);
    }

    @AfterEach
    void sendNoToken() {
        RestAuth.anonymous();
    }

    static final Duration STREAMING = Deadlines.scaled(60);

    static JsonPath wal() {
        return given().get("/clusters/it/wal").then().statusCode(200).extract().jsonPath();
    }

    static void awaitStreamingFrom(PgNode n) {
        await("the service's pg_receivewal to stream from " + n.name())
                .atMost(STREAMING)
                .until(() -> ("127.0.0.1:" + n.port()).equals(wal().getString("receiver.streamingFrom"))
                        && wal().getBoolean("receiver.running"));
    }

    static void publishTopology(long term, PgNode current, List<PgNode> nodes) throws Exception {
        List<Member> members = nodes.stream()
                .map(n -> new Member(
                        NodeName.of(n.name()),
                        n == current ? Role.PRIMARY : Role.STANDBY,
                        "127.0.0.1",
                        n.port(),
                        null,
                        false))
                .toList();
        TopologyChanged tc = new TopologyChanged(
                ClusterId.of("it"),
                new Term(term),
                NodeName.of(current.name()),
                NodeName.of(current.name()),
                new Timeline(1),
                members,
                "test: " + current.name() + " is the current primary",
                Instant.now());
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.get().kafkaBootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        EventEnvelope envelope = EventEnvelope.wrap(tc, "/pgops/it", null);
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record =
                    new ProducerRecord<>(Topics.TOPOLOGY, envelope.kafkaKey(), CloudEventCodec.body(envelope));
            CloudEventCodec.headers(envelope).forEach((k, v) -> record.headers().add(k, v));
            producer.send(record).get();
        }
    }

    static List<WalArchiveGapDetected> gapEvents(String segment) {
        return KafkaTap.events(TestStack.get().kafkaBootstrap(), Topics.BACKUP_EVENTS).stream()
                .map(EventEnvelope::data)
                .filter(d -> d instanceof WalArchiveGapDetected g
                        && g.firstMissingSegment().equals(segment))
                .map(d -> (WalArchiveGapDetected) d)
                .toList();
    }

    @Test
    void aTopologyNamingAnotherCurrentPrimaryRepointsTheArchiveAndBack() throws Exception {
        List<PgNode> nodes = TestStack.get().cluster();
        awaitStreamingFrom(nodes.getFirst());
        publishTopology(1_000, nodes.get(1), nodes);
        awaitStreamingFrom(nodes.get(1));
        publishTopology(1_001, nodes.getFirst(), nodes);
        awaitStreamingFrom(nodes.getFirst());
    }

    @Test
    void aSegmentDeletedFromTheArchiveIsPublishedAsOneGap() {
        PgNode primary = TestStack.get().cluster().getFirst();
        awaitStreamingFrom(primary);
        Path archive = TestStack.get().dir().resolve(WalItConfig.REPOSITORY).resolve("it/wal");
        String middle = null;
        for (int i = 0; i < 3; i++) {
            primary.sql(
                    "CREATE TABLE IF NOT EXISTS wal_service_rows (id int); INSERT INTO wal_service_rows VALUES (1)");
            String lsn = primary.sql("SELECT pg_switch_wal()");
            String name = WalSegment.containing(
                            Timeline.of(1), io.pgops.events.model.Lsn.parse(lsn), WalSegment.DEFAULT_SIZE)
                    .name(WalSegment.DEFAULT_SIZE);
            await("segment " + name + " in " + archive)
                    .atMost(STREAMING)
                    .until(() -> Files.exists(archive.resolve(name + ".lz4")));
            if (i == 1) {
                middle = name;
            }
        }
        String victim = middle;
        await("a complete archive before the deletion")
                .atMost(STREAMING)
                .until(() -> "complete".equals(wal().getString("result")));
        try {
            Files.delete(archive.resolve(victim + ".lz4"));
        } catch (java.io.IOException e) {
            throw new AssertionError("cannot delete " + victim, e);
        }
        await("WalArchiveGapDetected for " + victim + " on " + Topics.BACKUP_EVENTS)
                .atMost(STREAMING)
                .until(() -> !gapEvents(victim).isEmpty());
        // the check runs every second: five more runs publish nothing more for this gap
        await("no second WalArchiveGapDetected for " + victim)
                .during(Duration.ofSeconds(5))
                .atMost(Duration.ofSeconds(10))
                .until(() -> gapEvents(victim).size() == 1);
        WalArchiveGapDetected g = gapEvents(victim).getFirst();
        assertEquals(1, g.missingSegments());
        assertEquals(ClusterId.of("it"), g.cluster());
        assertEquals(archive.toString(), g.repository());
        assertEquals("gaps", wal().getString("result"));
        System.out.println("WalArchiveGapDetected through the service: " + g);
    }
}
