package io.pgops.audit.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.audit.Samples;
import io.pgops.events.CloudEventCodec;
import io.pgops.events.EventEnvelope;
import io.pgops.events.MalformedEventException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HashChainTest {
    static final Instant T0 = Instant.parse("2026-11-25T02:15:00.250Z");

    @Test
    void eachHashIsSha256OfThePreviousHashFollowedByTheRecordedBytes() throws Exception {
        byte[] bytes = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(new byte[32]);
        sha.update(bytes);
        assertArrayEquals(sha.digest(), HashChain.link(HashChain.GENESIS.hash(), bytes));
    }

    @Test
    void theRecordedFormIsAStructuredCloudEventThatKeepsThePublishedBodyByteForByte() throws Exception {
        EventEnvelope e = Samples.unreachable("it", "node3", T0);
        byte[] body = ("  " + new String(Samples.body(e), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        AuditEntry entry = AuditEntry.of(e, body);
        String text = new String(entry.bytes(), StandardCharsets.UTF_8);
        assertTrue(text.startsWith("{\"specversion\":\"1.0\",\"id\":\"" + e.id() + "\""), text);
        assertTrue(text.endsWith("\"data\":" + new String(body, StandardCharsets.UTF_8) + "}"), text);
        assertEquals(e, CloudEventCodec.decodeStructured(entry.bytes()));
        assertEquals("node3", entry.node());
        assertEquals(entry, AuditEntry.fromRecordedBytes(entry.bytes()));
    }

    @Test
    void aCommandRecordsItsPrincipal() throws Exception {
        EventEnvelope e = Samples.promoteRequested("it", "db2", "alice@example.com", T0);
        assertEquals("alice@example.com", AuditEntry.of(e, Samples.body(e)).principal());
    }

    @Test
    void anEventIdThatIsNotAUuidIsMalformed() {
        EventEnvelope e = Samples.unreachable("it", "node3", T0);
        EventEnvelope bad = new EventEnvelope("not-a-uuid", e.source(), e.type(), e.subject(), e.time(), "x", e.data());
        MalformedEventException ex = org.junit.jupiter.api.Assertions.assertThrows(
                MalformedEventException.class, () -> AuditEntry.of(bad, Samples.body(bad)));
        assertTrue(ex.reason().contains("not a UUID"), ex.reason());
    }

    @Test
    void aBatchIsChainedAfterTheHeadSkippingRecordedAndRepeatedIds() throws Exception {
        List<AuditEntry> batch = entries(Samples.failover("it", T0));
        ChainLink head = new ChainLink(41, HashChain.link(new byte[32], new byte[] {1}));
        AppendPlan plan = AppendPlan.of(
                head,
                List.of(batch.get(0), batch.get(1), batch.get(1), batch.get(2)),
                Set.of(batch.get(0).eventId()));

        assertEquals(2, plan.duplicates());
        assertEquals(
                List.of(42L, 43L), plan.rows().stream().map(ChainedEntry::seq).toList());
        assertArrayEquals(
                HashChain.link(head.hash(), batch.get(1).bytes()),
                plan.rows().get(0).hash());
        assertArrayEquals(
                HashChain.link(plan.rows().get(0).hash(), batch.get(2).bytes()),
                plan.rows().get(1).hash());
        assertEquals(plan.rows().get(1).link(), plan.head());
    }

    @Test
    void aBatchOfOnlyDuplicatesLeavesTheHeadWhereItWas() throws Exception {
        List<AuditEntry> batch = entries(Samples.failover("it", T0));
        ChainLink head = new ChainLink(5, new byte[32]);
        AppendPlan plan = AppendPlan.of(
                head, batch, Set.of(batch.stream().map(AuditEntry::eventId).toArray(String[]::new)));
        assertTrue(plan.rows().isEmpty());
        assertEquals(head, plan.head());
        assertFalse(plan.duplicates() == 0);
    }

    static List<AuditEntry> entries(List<EventEnvelope> events) throws MalformedEventException {
        List<AuditEntry> out = new java.util.ArrayList<>();
        for (EventEnvelope e : events) {
            out.add(AuditEntry.of(e, Samples.body(e)));
        }
        return out;
    }
}
