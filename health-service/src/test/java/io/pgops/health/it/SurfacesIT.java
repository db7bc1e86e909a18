package io.pgops.health.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import io.pgops.events.CloudEventCodec;
import io.pgops.events.EventEnvelope;
import io.pgops.events.EventTypes;
import io.pgops.events.PgopsEvent;
import io.pgops.events.Topics;
import io.pgops.events.backup.BackupCompleted;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Term;
import io.pgops.events.model.Timeline;
import io.pgops.events.replication.Member;
import io.pgops.events.replication.TopologyChanged;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.testkit.PgopsTestResource;
import io.pgops.stack.testkit.TestStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** What operators and other services see: REST, problem+json, metrics and the consumed topology. */
@QuarkusTest
@QuarkusTestResource(
        value = PgopsTestResource.class,
        initArgs = @ResourceArg(name = "cluster", value = "true"),
        restrictToAnnotatedClass = true)
@QuarkusTestResource(value = ItThresholds.class, restrictToAnnotatedClass = true)
class SurfacesIT {

    private static void awaitFirstProbes() {
        await("every node of it probed")
                .ignoreExceptions()
                .atMost(Deadlines.BREACH)
                .until(() -> RestAssured.get("/clusters/it/health")
                                .jsonPath()
                                .getList("nodes.findAll { it.probedAt != null }")
                                .size()
                        == 3);
    }

    @Test
    void theClusterListNamesTheInventorysClusterItsPrimaryAndNodes() {
        awaitFirstProbes();
        given().get("/clusters")
                .then()
                .statusCode(200)
                .body("cluster", hasItem("it"))
                .body("find { it.cluster == 'it' }.primary", equalTo("node1"))
                .body("find { it.cluster == 'it' }.nodes", equalTo(List.of("node1", "node2", "node3")));
    }

    @Test
    void theHealthOfAClusterHasEveryCheckPerNodeWithItsValueThresholdAndEvidence() {
        awaitFirstProbes();
        await("connections and lag judged").atMost(Deadlines.BREACH).until(() -> {
            String body = RestAssured.get("/clusters/it/health").asString();
            return body.contains("connections-critical") && body.contains("replication-lag");
        });
        given().get("/clusters/it/health")
                .then()
                .statusCode(200)
                .body("primary", equalTo("node1"))
                .body(
                        "nodes.find { it.node == 'node3' }.checks.find { it.check == 'replication-lag' }.unit",
                        equalTo("bytes"))
                .body(
                        "nodes.find { it.node == 'node1' }.checks.find { it.check == 'connections-critical' }.threshold",
                        equalTo(0.9f))
                .body(
                        "nodes.find { it.node == 'node1' }.checks.find { it.check == 'ssl' }.evidence",
                        equalTo("ssl is off"));
    }

    @Test
    void theReportIsHealthyOnCriticalChecksAndUnhealthyWhenWarningsCountBecauseSslIsOff() {
        awaitFirstProbes();
        await("ssl breached on node1 (the test cluster runs without ssl)")
                .atMost(Deadlines.BREACH)
                .until(() ->
                        RestAssured.get("/clusters/it/report?fail-on=warning").statusCode() == 503);
        given().get("/clusters/it/report?fail-on=warning")
                .then()
                .statusCode(503)
                .body("healthy", equalTo(false))
                .body("problems", hasItem(containsString("ssl (warning): ssl is off")));
    }

    @Test
    void badInputIsAnsweredWithProblemJson() {
        given().get("/clusters/Not_A_Cluster!/health")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].field", notNullValue());
        given().get("/clusters/nope/health")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("nope"));
        given().get("/clusters/it/report?fail-on=sometimes")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void prometheusHasAValuePerClusterNodeAndCheck() {
        awaitFirstProbes();
        RestAssured.get("/q/metrics")
                .asString()
                .lines()
                .filter(l -> l.contains("pgops_health"))
                .limit(30)
                .forEach(System.out::println);
        await("metrics of it")
                .atMost(Deadlines.BREACH)
                .until(
                        () -> RestAssured.get("/q/metrics")
                                .asString()
                                .contains(
                                        "pgops_health_check_value{check=\"connections-critical\",cluster=\"it\",node=\"node1\""));
        given().get("/q/metrics")
                .then()
                .body(containsString("pgops_health_node_up{cluster=\"it\",node=\"node3\"} 1.0"))
                .body(containsString("pgops_health_check_breached{"));
    }

    @Test
    void aTopologyRecordOnTheCompactedTopicIsWhatTheServiceKnowsAndAChangeInProgressHoldsReplicationChecks()
            throws Exception {
        List<PgNode> cluster = TestStack.get().cluster();
        awaitFirstProbes();
        long term = 1000 + Instant.now().getEpochSecond() % 1000;
        publish(topology(term, "node2", null, cluster, "switchover to node2 in progress"));
        await("the in-progress topology consumed")
                .ignoreExceptions()
                .atMost(Deadlines.BREACH)
                .until(() -> RestAssured.get("/clusters/it/health").jsonPath().getLong("topology.term") == term);
        given().get("/clusters/it/health").then().body("settling", equalTo(true));

        publish(topology(term + 1, "node1", "node1", cluster, "switchover cancelled: node1 stays primary"));
        await("settled again once the topology names node1 and topology-settle passed")
                .atMost(Deadlines.BREACH)
                .until(() -> !RestAssured.get("/clusters/it/health").jsonPath().getBoolean("settling"));
        given().get("/clusters/it/health").then().body("topology.currentPrimary", equalTo("node1"));
    }

    @Test
    void aBackupCompletedOnTheBackupTopicIsWhatBackupFreshnessJudges() throws Exception {
        awaitFirstProbes();
        String backupId = "it-" + UUID.randomUUID();
        publish(new BackupCompleted(
                ClusterId.of("it"),
                backupId,
                "physical",
                NodeName.of("node2"),
                "it-repo",
                new Timeline(1),
                null,
                null,
                1024,
                1000,
                Instant.now()));
        await("backup-freshness on node1 names the backup")
                .atMost(Deadlines.BREACH)
                .ignoreExceptions()
                .until(() -> RestAssured.get("/clusters/it/health")
                        .jsonPath()
                        .getString("nodes.find { it.node == 'node1' }.checks.find { it.check == 'backup-freshness' }"
                                + ".evidence")
                        .contains(backupId));
    }

    private static TopologyChanged topology(
            long term, String target, String current, List<PgNode> nodes, String reason) {
        List<Member> members = nodes.stream()
                .map(n -> new Member(
                        NodeName.of(n.name()),
                        n.name().equals(current) ? "primary" : "standby",
                        "127.0.0.1",
                        n.port(),
                        null,
                        n.name().equals("node2")))
                .toList();
        return new TopologyChanged(
                ClusterId.of("it"),
                new Term(term),
                NodeName.of(target),
                current == null ? null : NodeName.of(current),
                new Timeline(1),
                members,
                reason,
                Instant.now());
    }

    private static void publish(PgopsEvent event) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.get().kafkaBootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        EventEnvelope envelope = EventEnvelope.wrap(event, "/pgops/it", null);
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record =
                    new ProducerRecord<>(topic(event), envelope.kafkaKey(), CloudEventCodec.body(envelope));
            CloudEventCodec.headers(envelope).forEach((k, v) -> record.headers().add(k, v));
            producer.send(record).get();
        }
    }

    /** TopologyChanged also goes to the compacted topic, which is the one the service reads. */
    private static String topic(PgopsEvent event) {
        return event instanceof TopologyChanged ? Topics.TOPOLOGY : EventTypes.topicOf(event.getClass());
    }
}
