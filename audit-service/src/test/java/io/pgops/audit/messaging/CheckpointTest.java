package io.pgops.audit.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.audit.InMemoryAuditResource;
import io.pgops.audit.KafkaBatch;
import io.pgops.audit.Samples;
import io.pgops.audit.Trail;
import io.pgops.audit.domain.Checkpoints;
import io.pgops.events.CloudEventCodec;
import io.pgops.events.EventEnvelope;
import io.pgops.events.Topics;
import io.pgops.events.audit.ChainCheckpointed;
import io.pgops.stack.auth.Tokens;
import io.pgops.stack.testkit.RestAuth;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(InMemoryAuditResource.class)
class CheckpointTest {

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
    @org.eclipse.microprofile.reactive.messaging.spi.Connector("smallrye-in-memory")
    InMemoryConnector connector;

    @Test
    void theChainHeadIsSignedAndPublishedAndARewriteThatRecomputesEveryHashContradictsIt() throws Exception {
        List<Long> seqs = record("cp-" + System.nanoTime());
        ChainCheckpointed checkpoint = awaitCheckpointCovering(seqs.getLast());
        assertNull(Checkpoints.untrusted(checkpoint, null), "a valid signature by the enclosed key");
        JsonPath before = Trail.verify("from=" + seqs.getFirst());
        assertTrue(before.getBoolean("checkpoint.holds"), before.prettify());

        long victim = seqs.get(1); // FailoverStarted: oldPrimary db1
        String original = Trail.superuser("SELECT encode(event, 'base64') FROM audit_event WHERE seq = " + victim)
                .replace("\n", "");
        try {
            // the quoted JSON value only: a bare db1 also occurs inside random UUIDs (…adb1dd95…)
            rewriteFrom(victim, "convert_to(replace(convert_from(event, 'UTF8'), '\"db1\"', '\"db7\"'), 'UTF8')");

            JsonPath after = Trail.verify("from=" + seqs.getFirst());
            assertTrue(after.getBoolean("intact"), "a consistent rewrite passes the chain: " + after.prettify());
            assertFalse(after.getBoolean("checkpoint.holds"), after.prettify());
            assertTrue(after.getString("checkpoint.contradiction").contains("rewritten"), after.prettify());
        } finally {
            rewriteFrom(victim, "decode('" + original + "', 'base64')");
        }
        assertTrue(Trail.verify("from=" + seqs.getFirst()).getBoolean("checkpoint.holds"));
    }

    /** As a superuser bypassing the triggers: changes row {@code seq} and recomputes every later hash. */
    private static void rewriteFrom(long seq, String newEvent) {
        Trail.superuser("SET session_replication_role = replica;\n"
                + "UPDATE audit_event SET event = " + newEvent + " WHERE seq = " + seq + ";\n"
                + "DO $$ DECLARE prev bytea; r record; BEGIN\n"
                + "  SELECT hash INTO prev FROM audit_event WHERE seq = " + (seq - 1) + ";\n"
                + "  prev := coalesce(prev, decode(repeat('00', 32), 'hex'));\n"
                + "  FOR r IN SELECT seq, event FROM audit_event WHERE seq >= " + seq + " ORDER BY seq LOOP\n"
                + "    prev := sha256(prev || r.event);\n"
                + "    UPDATE audit_event SET hash = prev WHERE seq = r.seq;\n"
                + "  END LOOP;\n"
                + "END $$;");
    }

    private ChainCheckpointed awaitCheckpointCovering(long seq) throws Exception {
        InMemorySink<byte[]> sink = connector.sink("audit-checkpoints");
        await("a checkpoint of row " + seq + " or later")
                .atMost(Duration.ofSeconds(20))
                .until(() -> sink.received().stream().anyMatch(m -> decode(m).seq() >= seq));
        Message<byte[]> m = sink.received().stream()
                .filter(x -> decode(x).seq() >= seq)
                .findFirst()
                .orElseThrow();
        @SuppressWarnings("unchecked")
        OutgoingKafkaRecordMetadata<String> meta =
                m.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow();
        assertEquals(Topics.AUDIT_EVENTS, meta.getTopic());
        assertEquals("pgops", meta.getKey());
        return decode(m);
    }

    private static ChainCheckpointed decode(Message<byte[]> m) {
        Map<String, byte[]> headers = new HashMap<>();
        for (Header h :
                m.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow().getHeaders()) {
            headers.put(h.key(), h.value());
        }
        try {
            EventEnvelope e = CloudEventCodec.decode(headers, m.getPayload());
            return (ChainCheckpointed) e.data();
        } catch (Exception ex) {
            throw new AssertionError(ex);
        }
    }

    private List<Long> record(String cluster) {
        KafkaBatch batch = KafkaBatch.of(Samples.failover(cluster, T0));
        connector.<Message<List<byte[]>>>source("audit-in").send(batch.message());
        batch.awaitAck();
        return Trail.events("cluster=" + cluster).stream()
                .map(r -> ((Number) r.get("seq")).longValue())
                .sorted()
                .toList();
    }
}
