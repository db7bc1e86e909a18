package io.pgops.maintenance.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.CloudEventCodec;
import io.pgops.events.EventEnvelope;
import io.pgops.events.Topics;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Role;
import io.pgops.events.model.Term;
import io.pgops.events.model.Timeline;
import io.pgops.events.replication.Member;
import io.pgops.events.replication.TopologyChanged;
import io.pgops.stack.auth.Tokens;
import io.pgops.stack.testkit.PgopsTestResource;
import io.pgops.stack.testkit.RestAuth;
import io.pgops.stack.testkit.TestStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * No run starts while the replication service's topology says a leadership change is under way. No coordinator
 * runs in this JVM: the test writes the topologies itself, with terms far above any real one, and leaves the
 * cluster settled.
 */
@QuarkusTest
@QuarkusTestResource(
        value = PgopsTestResource.class,
        initArgs = @ResourceArg(name = "cluster", value = "true"),
        restrictToAnnotatedClass = true)
class TopologyIT {

    @BeforeEach
    void sendATokenOfOperator() {
        RestAuth.as(Tokens.OPERATOR);
    }

    @AfterEach
    void sendNoToken() {
        RestAuth.anonymous();
    }

    static final long TERM = 1_000_000;

    @Test
    void aRunAskedForDuringASwitchoverIsRefusedWith409AndAcceptedOnceTheRolesSettled() {
        publish(topology(TERM, "node2", "node1"));
        try {
            String problem = await("a run refused while node2 is the target and node1 still primary")
                    .atMost(Deadlines.STATS)
                    .pollInterval(Duration.ofMillis(300))
                    .until(
                            () -> post().extract().asString(),
                            body -> body.contains("leadership change is in progress"));
            assertTrue(problem.contains("target primary node2, current node1"), problem);
        } finally {
            publish(topology(TERM + 1, "node1", "node1"));
        }
        String runId = await("a run accepted once the topology is settled")
                .atMost(Deadlines.STATS)
                .pollInterval(Duration.ofMillis(300))
                .until(
                        () -> {
                            var r = post().extract();
                            return r.statusCode() == 202 ? r.jsonPath().getString("runId") : null;
                        },
                        id -> id != null);
        MaintenanceIT.awaitRun(runId);
    }

    static io.restassured.response.ValidatableResponse post() {
        return given().contentType(ContentType.JSON)
                .body(Map.of(
                        "reason", "TopologyIT", "tasks", List.of(Map.of("task", "analyze", "target", "mt_topology"))))
                .post("/clusters/it/maintenance")
                .then();
    }

    static TopologyChanged topology(long term, String target, String current) {
        TestStack.get().cluster().getFirst().sql("CREATE TABLE IF NOT EXISTS mt_topology (id int)");
        List<Member> members = List.of(
                new Member(
                        NodeName.of("node1"), Role.PRIMARY, "127.0.0.1", 1, null, false, null, null, null, List.of()),
                new Member(
                        NodeName.of("node2"), Role.STANDBY, "127.0.0.1", 2, null, true, null, null, null, List.of()));
        return new TopologyChanged(
                ClusterId.of("it"),
                new Term(term),
                NodeName.of(target),
                NodeName.of(current),
                new Timeline(1),
                members,
                "TopologyIT",
                Instant.now(),
                false,
                null,
                null);
    }

    static void publish(TopologyChanged tc) {
        EventEnvelope e =
                EventEnvelope.wrap(tc, "/pgops/topology-it", UUID.randomUUID().toString());
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.get().kafkaBootstrap());
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> r =
                    new ProducerRecord<>(Topics.TOPOLOGY, e.kafkaKey(), CloudEventCodec.body(e));
            CloudEventCodec.headers(e).forEach((k, v) -> r.headers().add(k, v));
            producer.send(r).get();
        } catch (Exception ex) {
            throw new IllegalStateException("could not publish the test topology", ex);
        }
    }
}
