package io.pgops.audit.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.audit.InMemoryAuditResource;
import io.pgops.audit.KafkaBatch;
import io.pgops.audit.Samples;
import io.pgops.audit.Trail;
import io.pgops.events.EventEnvelope;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(InMemoryAuditResource.class)
class RecordingTest {
    static final Instant T0 = Instant.parse("2026-11-25T02:15:00Z");

    @Inject
    @org.eclipse.microprofile.reactive.messaging.spi.Connector("smallrye-in-memory")
    InMemoryConnector connector;

    @Test
    void aBatchBecomesConsecutiveChainedRowsAndIsAcknowledgedOnceDurable() {
        String cluster = "rec-" + System.nanoTime();
        List<EventEnvelope> story = Samples.failover(cluster, T0);
        send(KafkaBatch.of(story)).awaitAck();

        List<Map<String, Object>> rows = Trail.events("cluster=" + cluster);
        assertEquals(5, rows.size());
        List<Long> seqs =
                rows.stream().map(r -> ((Number) r.get("seq")).longValue()).toList();
        assertEquals(seqs.getLast() + 4, seqs.getFirst(), "one batch, consecutive positions: " + seqs);
        assertEquals(story.getLast().id(), rows.getFirst().get("eventId"));
        JsonPath v = Trail.verify("from=" + seqs.getLast());
        assertTrue(v.getBoolean("intact"), v.prettify());
        assertTrue(v.getLong("checked") >= 5, v.prettify());
    }

    @Test
    void aRedeliveredBatchChangesNothingAndIsCountedAsDuplicates() {
        String cluster = "dup-" + System.nanoTime();
        List<EventEnvelope> story = Samples.failover(cluster, T0);
        send(KafkaBatch.of(story)).awaitAck();
        double before = duplicates();

        send(KafkaBatch.of(story)).awaitAck();
        send(KafkaBatch.of(List.of(story.get(1), story.get(1)))).awaitAck();

        assertEquals(5, Trail.events("cluster=" + cluster).size());
        assertEquals(before + 7, duplicates());
    }

    @Test
    void malformedRecordsAreDeadLetteredWithTheirReasonAndTheRestOfTheBatchIsRecorded() {
        String cluster = "bad-" + System.nanoTime();
        EventEnvelope good = Samples.unreachable(cluster, "node3", T0);
        Map<String, byte[]> noType = new HashMap<>(Samples.headers(good));
        noType.remove("ce_type");
        Map<String, byte[]> unknownType = new HashMap<>(Samples.headers(good));
        unknownType.put("ce_type", "io.pgops.health.node-exploded.v1".getBytes());
        KafkaBatch batch = new KafkaBatch()
                .add(Samples.headers(good), "{not json")
                .add(noType, Samples.body(good))
                .add(unknownType, Samples.body(good))
                .add(good);

        send(batch).awaitAck();

        assertTrue(batch.deadLettered.get(0).contains("not valid JSON"), batch.deadLettered.toString());
        assertTrue(batch.deadLettered.get(1).contains("ce_type"), batch.deadLettered.toString());
        assertTrue(batch.deadLettered.get(2).contains("unknown event type"), batch.deadLettered.toString());
        assertEquals(3, batch.deadLettered.size());
        List<Map<String, Object>> rows = Trail.events("cluster=" + cluster);
        assertEquals(1, rows.size());
        assertEquals(good.id(), rows.getFirst().get("eventId"));
    }

    private KafkaBatch send(KafkaBatch batch) {
        connector.<Message<List<byte[]>>>source("audit-in").send(batch.message());
        return batch;
    }

    private static double duplicates() {
        String metrics = io.restassured.RestAssured.get("/q/metrics").asString();
        for (String line : metrics.split("\n")) {
            if (line.startsWith("pgops_audit_events_total") && line.contains("outcome=\"duplicate\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }
}
