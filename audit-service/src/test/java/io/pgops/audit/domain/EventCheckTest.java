package io.pgops.audit.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.audit.Samples;
import io.pgops.events.CloudEventCodec;
import io.pgops.events.EventEnvelope;
import io.pgops.events.MalformedEventException;
import io.pgops.events.OperatorCommand;
import io.pgops.events.Requester;
import io.pgops.events.maintenance.MaintenanceDue;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The audit's own checks (no record binding) against the contract's decoder, which binds and
 * validates the whole record: same columns for every well-formed event, dead letters with the same
 * reasons for a bad envelope, and refusal of every body whose JSON, cluster, node, principal or
 * required fields are wrong.
 */
class EventCheckTest {
    static final Instant T0 = Instant.parse("2026-11-25T02:15:00.250Z");
    static final Path GOLDEN = Path.of("../common-events/src/test/resources/golden");

    @Test
    void everyGoldenEventGivesTheColumnsOfItsBoundRecordInBothModes() throws Exception {
        int compared = 0;
        try (Stream<Path> files = Files.list(GOLDEN)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                byte[] golden = Files.readAllBytes(file);
                EventEnvelope e;
                try {
                    e = CloudEventCodec.decodeStructured(golden);
                } catch (MalformedEventException notYet) {
                    continue; // a contract change under way; the contract's own tests judge it
                }
                byte[] body = CloudEventCodec.body(e);
                AuditEntry received = AuditEntry.of(e, body);
                assertColumns(e, received, file.toString());
                assertEquals(e, CloudEventCodec.decodeStructured(received.bytes()), file.toString());
                assertEquals(received, AuditEntry.fromRecordedBytes(received.bytes()), file.toString());

                AuditEntry structured = AuditEntry.fromRecordedBytes(golden);
                assertColumns(e, structured, file.toString());
                assertArrayEquals(golden, structured.bytes());
                compared++;
            }
        }
        assertTrue(compared >= 20, "golden events compared: " + compared);
    }

    @Test
    void aNullableNodeMayBeAbsent() throws Exception {
        EventEnvelope e = Samples.wrap(
                new MaintenanceDue(ClusterId.of("it"), null, "vacuum", "orders", "bloat", null, T0),
                "/pgops/maintenance-service",
                null,
                T0);
        String body = new String(CloudEventCodec.body(e), StandardCharsets.UTF_8).replace("\"node\":null,", "");
        assertTrue(!body.contains("\"node\""), body);
        AuditEntry entry = AuditEntry.of(e, body.getBytes(StandardCharsets.UTF_8));
        assertNull(entry.node());
        assertEquals(entry, AuditEntry.fromRecordedBytes(entry.bytes()));
    }

    @Test
    void aBadEnvelopeIsRefusedWithTheReasonEveryConsumerGives() {
        EventEnvelope e = Samples.unreachable("it", "node3", T0);
        Map<String, UnaryOperator<Map<String, byte[]>>> cases = Map.ofEntries(
                Map.entry("missing CloudEvents attribute ce_type", h -> without(h, "ce_type")),
                Map.entry("missing CloudEvents attribute ce_specversion", h -> without(h, "ce_specversion")),
                Map.entry("missing CloudEvents attribute ce_id", h -> without(h, "ce_id")),
                Map.entry("missing CloudEvents attribute ce_source", h -> without(h, "ce_source")),
                Map.entry("missing CloudEvents attribute ce_subject", h -> without(h, "ce_subject")),
                Map.entry("missing CloudEvents attribute ce_time", h -> without(h, "ce_time")),
                Map.entry("CloudEvents attribute ce_source is blank", h -> with(h, "ce_source", " ")),
                Map.entry(
                        "unknown event type io.pgops.health.node-exploded.v1",
                        h -> with(h, "ce_type", "io.pgops.health.node-exploded.v1")),
                Map.entry("unsupported CloudEvents ce_specversion 0.3", h -> with(h, "ce_specversion", "0.3")),
                Map.entry("ce_subject is not a cluster id", h -> with(h, "ce_subject", "Not A Cluster")),
                Map.entry("ce_time is not an RFC 3339 timestamp", h -> with(h, "ce_time", "yesterday")),
                Map.entry("unsupported content type text/plain", h -> with(h, "content-type", "text/plain")),
                Map.entry("subject other does not match data.cluster it", h -> with(h, "ce_subject", "other")));
        cases.forEach((reason, change) -> {
            Map<String, byte[]> headers = change.apply(new HashMap<>(CloudEventCodec.headers(e)));
            byte[] body = CloudEventCodec.body(e);
            assertRefused(reason, headers, body);
            MalformedEventException strict =
                    assertThrows(MalformedEventException.class, () -> CloudEventCodec.decode(headers, body), reason);
            assertTrue(strict.reason().contains(reason), strict.reason());
        });
        assertRefused(
                "ce_id is not a UUID",
                with(new HashMap<>(CloudEventCodec.headers(e)), "ce_id", "not-a-uuid"),
                CloudEventCodec.body(e));
    }

    @Test
    void aBadBodyIsRefusedAsEveryConsumerRefusesIt() {
        EventEnvelope e = Samples.unreachable("it", "node3", T0);
        String good = new String(CloudEventCodec.body(e), StandardCharsets.UTF_8);
        Map<String, String> cases = Map.ofEntries(
                Map.entry("body is not valid JSON", "{not json"),
                Map.entry("body is not valid JSON: trailing content", good + " {}"),
                Map.entry("body is empty", "null"),
                Map.entry("is not a JSON object", "[" + good + "]"),
                Map.entry("is missing required field error", good.replaceFirst("\"error\":\"[^\"]*\",", "")),
                Map.entry(
                        "has null for required field error",
                        good.replaceFirst("\"error\":\"[^\"]*\"", "\"error\":null")),
                Map.entry(
                        "subject it does not match data.cluster other",
                        good.replace("\"cluster\":\"it\"", "\"cluster\":\"other\"")),
                Map.entry("at cluster", good.replace("\"cluster\":\"it\"", "\"cluster\":7")),
                Map.entry("at node", good.replace("\"node\":\"node3\"", "\"node\":\"Node 3!\"")));
        cases.forEach((reason, body) -> {
            assertTrue(!body.equals(good), reason);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            assertRefused(reason, CloudEventCodec.headers(e), bytes);
            assertThrows(
                    MalformedEventException.class,
                    () -> CloudEventCodec.decode(CloudEventCodec.headers(e), bytes),
                    reason);
        });
        byte[] bom = ("\uFEFF" + good).getBytes(StandardCharsets.UTF_8);
        assertRefused("byte order mark", CloudEventCodec.headers(e), bom);
        assertRefused("NUL bytes", CloudEventCodec.headers(e), good.getBytes(StandardCharsets.UTF_16BE));

        EventEnvelope command = Samples.promoteRequested("it", "db2", "alice@example.com", T0);
        String blank =
                new String(CloudEventCodec.body(command), StandardCharsets.UTF_8).replace("alice@example.com", " ");
        assertRefused(
                "principal must not be blank",
                CloudEventCodec.headers(command),
                blank.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Issue 20: a command made through an authenticated request carries its requester as the extension
     * attributes pgopsprincipal/pgopsroles; the trail records them in the hashed form, reads them back
     * from it, and the principal column is the command's principal (the token's).
     */
    @Test
    void theRequesterOfACommandIsRecordedWithItsRoles() throws Exception {
        EventEnvelope unsigned = Samples.promoteRequested("it", "db2", "alice@example.com", T0);
        EventEnvelope command = new EventEnvelope(
                unsigned.id(),
                unsigned.source(),
                unsigned.type(),
                unsigned.subject(),
                unsigned.time(),
                unsigned.correlationId(),
                unsigned.data(),
                new Requester("alice@example.com", List.of("pgops-admin")));

        AuditEntry entry = AuditEntry.of(
                CloudEventAttributes.ofHeaders(CloudEventCodec.headers(command)), CloudEventCodec.body(command));

        String recorded = new String(entry.bytes(), StandardCharsets.UTF_8);
        assertTrue(
                recorded.contains("\"pgopsprincipal\":\"alice@example.com\",\"pgopsroles\":\"pgops-admin\""), recorded);
        assertEquals("alice@example.com", entry.principal());
        assertEquals(command, CloudEventCodec.decodeStructured(entry.bytes()));
        assertEquals(entry, AuditEntry.fromRecordedBytes(entry.bytes()));
        assertArrayEquals(RecordedForm.of(command, CloudEventCodec.body(command)), entry.bytes());
    }

    @Test
    void anEventWithoutARequesterIsRecordedExactlyAsBefore() throws Exception {
        EventEnvelope e = Samples.promoteRequested("it", "db2", "alice@example.com", T0);

        AuditEntry entry = AuditEntry.of(e, CloudEventCodec.body(e));

        assertArrayEquals(
                RecordedForm.of(
                        e.id(),
                        e.source(),
                        e.type(),
                        e.subject().value(),
                        e.time().toString(),
                        e.correlationId(),
                        CloudEventCodec.body(e)),
                entry.bytes());
        assertTrue(!new String(entry.bytes(), StandardCharsets.UTF_8).contains("pgopsprincipal"));
    }

    /**
     * What changed on purpose: a field the audit does not derive a column from is recorded as published
     * even when its value would not bind (the services acting on the event judge that); the recorded
     * form reads back to the same columns, so the verifier agrees with ingestion.
     */
    @Test
    void aFieldTheAuditDoesNotReadIsRecordedAsPublished() throws Exception {
        EventEnvelope e = Samples.unreachable("it", "node3", T0);
        byte[] body = new String(CloudEventCodec.body(e), StandardCharsets.UTF_8)
                .replace("\"port\":5432", "\"port\":\"5432\"")
                .getBytes(StandardCharsets.UTF_8);
        assertThrows(MalformedEventException.class, () -> CloudEventCodec.decode(CloudEventCodec.headers(e), body));
        AuditEntry entry = AuditEntry.of(e, body);
        assertColumns(e, entry, "port as text");
        assertEquals(entry, AuditEntry.fromRecordedBytes(entry.bytes()));
    }

    @Test
    void theRecordedFormIsWrittenAlikeWithAndWithoutCharactersToEscape() {
        byte[] body = "{\"cluster\":\"it\"}".getBytes(StandardCharsets.UTF_8);
        String plain = new String(
                RecordedForm.of("i", "/s", "t", "it", "2026-11-25T02:15:00Z", "c", body), StandardCharsets.UTF_8);
        assertEquals(
                "{\"specversion\":\"1.0\",\"id\":\"i\",\"source\":\"/s\",\"type\":\"t\",\"subject\":\"it\","
                        + "\"time\":\"2026-11-25T02:15:00Z\",\"correlationid\":\"c\","
                        + "\"datacontenttype\":\"application/json\",\"data\":{\"cluster\":\"it\"}}",
                plain);
        String escaped = new String(
                RecordedForm.of("i", "/s\u00e9\"\\\n\u0001", "t", "it", "2026-11-25T02:15:00Z", "c", body),
                StandardCharsets.UTF_8);
        assertEquals(plain.replace("\"/s\"", "\"/s\u00e9\\\"\\\\\\n\\u0001\""), escaped);
    }

    private static void assertRefused(String reason, Map<String, byte[]> headers, byte[] body) {
        MalformedEventException ex = assertThrows(
                MalformedEventException.class,
                () -> AuditEntry.of(CloudEventAttributes.ofHeaders(headers), body),
                reason);
        assertTrue(ex.reason().contains(reason), reason + " / " + ex.reason());
    }

    /** The columns as the contract's bound record gives them. */
    private static void assertColumns(EventEnvelope e, AuditEntry entry, String what) throws Exception {
        assertEquals(e.id(), entry.eventId(), what);
        assertEquals(e.type(), entry.type(), what);
        assertEquals(e.subject().value(), entry.cluster(), what);
        assertEquals(nodeOf(e), entry.node(), what);
        assertEquals(e.source(), entry.source(), what);
        assertEquals(e.time().truncatedTo(ChronoUnit.MICROS), entry.time(), what);
        assertEquals(e.correlationId(), entry.correlationId(), what);
        assertEquals(e.data() instanceof OperatorCommand c ? c.principal() : null, entry.principal(), what);
    }

    private static String nodeOf(EventEnvelope e) throws Exception {
        for (RecordComponent c : e.data().getClass().getRecordComponents()) {
            if (c.getName().equals("node") && c.getType() == NodeName.class) {
                Object node = c.getAccessor().invoke(e.data());
                return node == null ? null : node.toString();
            }
        }
        return null;
    }

    private static Map<String, byte[]> without(Map<String, byte[]> headers, String name) {
        headers.remove(name);
        return headers;
    }

    private static Map<String, byte[]> with(Map<String, byte[]> headers, String name, String value) {
        headers.put(name, value.getBytes(StandardCharsets.UTF_8));
        return headers;
    }
}
