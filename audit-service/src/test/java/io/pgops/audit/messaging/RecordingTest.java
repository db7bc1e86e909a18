package io.pgops.audit.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.audit.InMemoryAuditResource;
import io.pgops.audit.KafkaBatch;
import io.pgops.audit.Samples;
import io.pgops.audit.Trail;
import io.pgops.audit.domain.AuditEntry;
import io.pgops.audit.service.AppendResult;
import io.pgops.audit.service.AuditWriter;
import io.pgops.audit.service.Received;
import io.pgops.events.EventEnvelope;
import io.pgops.stack.auth.Tokens;
import io.pgops.stack.testkit.RestAuth;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(InMemoryAuditResource.class)
class RecordingTest {

    @BeforeEach
    void sendATokenOfViewer() {
        RestAuth.as(Tokens.VIEWER);
    }

    @AfterEach
    void sendNoToken() {
        RestAuth.anonymous();
    }

    static final Instant T0 = Instant.parse("2026-11-25T02:15:00Z");

    @Inject
    AuditWriter writer;

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

    /** The append is optimistic: the unique index finds the recorded ids, and the batch is appended again. */
    @Test
    void aBatchMixingRecordedAndNewEventsRecordsOnlyTheNewOnesAndTheChainStaysIntact() {
        String cluster = "mix-" + System.nanoTime();
        List<EventEnvelope> story = Samples.failover(cluster, T0);
        send(KafkaBatch.of(story.subList(1, 3))).awaitAck();
        double before = duplicates();

        send(KafkaBatch.of(story)).awaitAck();

        List<Map<String, Object>> rows = Trail.events("cluster=" + cluster);
        assertEquals(5, rows.size());
        assertEquals(before + 2, duplicates());
        Trail.assertIntactFrom(rows);
        assertEquals(
                story.stream().map(EventEnvelope::id).sorted().toList(),
                rows.stream().map(r -> (String) r.get("eventId")).sorted().toList());
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

    @Test
    void anEventIdInUpperCaseIsOneEventRecordedOnceAndVerifies() {
        String cluster = "upper-" + System.nanoTime();
        EventEnvelope e = Samples.unreachable(cluster, "node1", T0);
        Map<String, byte[]> headers = new HashMap<>(Samples.headers(e));
        headers.put("ce_id", e.id().toUpperCase(java.util.Locale.ROOT).getBytes());
        send(new KafkaBatch().add(headers, Samples.body(e))).awaitAck();
        send(new KafkaBatch().add(headers, Samples.body(e))).awaitAck(); // a redelivery

        List<Map<String, Object>> rows = Trail.events("cluster=" + cluster);
        assertEquals(1, rows.size());
        assertEquals(e.id(), rows.getFirst().get("eventId"));
        JsonPath v = Trail.verify("from=" + rows.getFirst().get("seq"));
        assertTrue(v.getBoolean("intact"), v.prettify());
    }

    /**
     * The lock, the head and the duplicate check are pipelined with BEGIN: they must still run inside
     * the transaction, so concurrent appends (as from several instances) serialise on the chain lock
     * instead of reading the same head.
     */
    @Test
    void concurrentAppendsSerialiseOnTheChainLock() throws Exception {
        String cluster = "con-" + System.nanoTime();
        List<Uni<AppendResult>> appends = new ArrayList<>();
        for (int b = 0; b < 6; b++) {
            List<Received> batch = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                EventEnvelope e = Samples.unreachable(cluster, "node" + (i % 3 + 1), T0.plusMillis(b * 100L + i));
                batch.add(new Received(AuditEntry.of(e, Samples.body(e)), "pgops.health.events", 0, b * 100L + i));
            }
            appends.add(writer.append(batch));
        }
        List<AppendResult> results =
                Uni.join().all(appends).andFailFast().await().atMost(Duration.ofSeconds(30));

        assertEquals(300, results.stream().mapToInt(AppendResult::recorded).sum());
        List<Map<String, Object>> rows = Trail.events("cluster=" + cluster + "&limit=1000");
        assertEquals(300, rows.size());
        Trail.assertIntactFrom(rows);
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
