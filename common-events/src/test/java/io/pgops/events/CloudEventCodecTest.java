package io.pgops.events;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgops.events.health.NodeUnreachable;
import io.pgops.events.replication.TopologyChanged;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CloudEventCodecTest {
    private static final String NODE_UNREACHABLE = "io.pgops.health.node-unreachable.v1";

    static Stream<PgopsEvent> samples() {
        return Samples.all().values().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void everyEventSurvivesKafkaHeadersAndBodyUnchanged(PgopsEvent sample) throws Exception {
        EventEnvelope sent = EventEnvelope.wrap(sample, "/pgops/test", "flow-1");

        EventEnvelope received = CloudEventCodec.decode(CloudEventCodec.headers(sent), CloudEventCodec.body(sent));

        assertEquals(sent, received);
    }

    @Test
    void headersAreTheCloudEventsKafkaBinaryBinding() {
        EventEnvelope e = EventEnvelope.wrap(Samples.of(NodeUnreachable.class), "/pgops/health-service", "flow-1");

        Map<String, String> headers = new LinkedHashMap<>();
        CloudEventCodec.headers(e).forEach((k, v) -> headers.put(k, new String(v, UTF_8)));

        assertEquals(
                List.of(
                        "ce_specversion",
                        "ce_id",
                        "ce_source",
                        "ce_type",
                        "ce_subject",
                        "ce_time",
                        "ce_correlationid",
                        "content-type"),
                List.copyOf(headers.keySet()));
        assertEquals("1.0", headers.get("ce_specversion"));
        assertEquals(e.id(), headers.get("ce_id"));
        assertEquals("/pgops/health-service", headers.get("ce_source"));
        assertEquals(NODE_UNREACHABLE, headers.get("ce_type"));
        assertEquals("orders-eu1", headers.get("ce_subject"));
        assertEquals(e.time(), Instant.parse(headers.get("ce_time")));
        assertEquals("flow-1", headers.get("ce_correlationid"));
        assertEquals("application/json", headers.get("content-type"));
    }

    @Test
    void bodyIsTheDataRecordOnlyInComponentOrder() throws Exception {
        EventEnvelope e = EventEnvelope.wrap(Samples.of(NodeUnreachable.class), "/pgops/health-service", null);

        var body = CloudEventCodec.json().readTree(CloudEventCodec.body(e));

        assertEquals(
                List.of("cluster", "node", "host", "port", "consecutiveFailures", "error", "lastSeenAt", "probedAt"),
                body.properties().stream().map(Map.Entry::getKey).toList());
        assertEquals("orders-eu1", body.get("cluster").textValue());
        assertEquals("2026-11-25T02:15:00.250Z", body.get("probedAt").textValue());
    }

    @Test
    void wrapStartsANewFlowWithTheEventIdAndKeysByCluster() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.MICROS);
        EventEnvelope e = EventEnvelope.wrap(Samples.of(NodeUnreachable.class), "/pgops/health-service", null);

        assertEquals(e.id(), e.correlationId());
        assertEquals("orders-eu1", e.kafkaKey());
        assertEquals(NODE_UNREACHABLE, e.type());
        assertEquals(e.time(), e.time().truncatedTo(ChronoUnit.MICROS));
        assertTrue(!e.time().isBefore(before));
        assertNotEquals(
                e.id(),
                EventEnvelope.wrap(e.data(), "/pgops/health-service", null).id());
    }

    @Test
    void decodeRejectsAMissingId() {
        Map<String, byte[]> headers = headers();
        headers.remove("ce_id");

        assertReason("missing CloudEvents attribute ce_id", headers, body());
    }

    @Test
    void decodeRejectsAnUnknownType() {
        Map<String, byte[]> headers = headers();
        headers.put("ce_type", "io.pgops.x.y.v1".getBytes(UTF_8));

        assertReason("unknown event type io.pgops.x.y.v1", headers, body());
    }

    @Test
    void decodeRejectsABodyThatIsNotJson() {
        MalformedEventException e = assertThrows(
                MalformedEventException.class,
                () -> CloudEventCodec.decode(headers(), "{\"cluster\":".getBytes(UTF_8)));

        assertTrue(e.reason().startsWith("body is not valid JSON: "), e.reason());
    }

    @Test
    void decodeRejectsABodyMissingARequiredField() throws Exception {
        ObjectNode body = (ObjectNode) CloudEventCodec.json().readTree(body());
        body.remove("port");

        assertReason("body of " + NODE_UNREACHABLE + " is missing required field port", headers(), bytes(body));
    }

    @Test
    void decodeRejectsNullForARequiredField() throws Exception {
        ObjectNode body = (ObjectNode) CloudEventCodec.json().readTree(body());
        body.putNull("node");

        assertReason("body of " + NODE_UNREACHABLE + " has null for required field node", headers(), bytes(body));
    }

    @Test
    void decodeAcceptsAnAbsentNullableField() throws Exception {
        ObjectNode body = (ObjectNode) CloudEventCodec.json().readTree(body());
        body.remove("lastSeenAt");

        var decoded =
                (NodeUnreachable) CloudEventCodec.decode(headers(), bytes(body)).data();

        assertEquals(null, decoded.lastSeenAt());
    }

    @Test
    void decodeIgnoresFieldsAddedByANewerProducer() throws Exception {
        ObjectNode body = (ObjectNode) CloudEventCodec.json().readTree(body());
        body.put("tlsError", "certificate expired");

        assertEquals(
                Samples.of(NodeUnreachable.class),
                CloudEventCodec.decode(headers(), bytes(body)).data());
    }

    @Test
    void decodeRejectsAnInvalidValueObjectAndSaysWhere() throws Exception {
        ObjectNode body = (ObjectNode) CloudEventCodec.json().readTree(body());
        body.put("node", "DB1");

        MalformedEventException e =
                assertThrows(MalformedEventException.class, () -> CloudEventCodec.decode(headers(), bytes(body)));

        assertEquals(
                "body does not bind to " + NODE_UNREACHABLE + ": at node: invalid node name 'DB1': expected 1-63"
                        + " characters of [a-z0-9_-] starting with a letter or digit",
                e.reason());
    }

    @Test
    void decodeRejectsAnInvalidFieldInANestedRecord() throws Exception {
        EventEnvelope e = EventEnvelope.wrap(Samples.of(TopologyChanged.class), "/pgops/replication-service", null);
        ObjectNode body = (ObjectNode) CloudEventCodec.json().readTree(CloudEventCodec.body(e));
        ((ObjectNode) body.get("members").get(1)).put("port", 0);

        MalformedEventException ex = assertThrows(
                MalformedEventException.class, () -> CloudEventCodec.decode(CloudEventCodec.headers(e), bytes(body)));

        assertTrue(ex.reason().contains("at members[1]"), ex.reason());
        assertTrue(ex.reason().endsWith("port must be a TCP port 1-65535 but was 0"), ex.reason());
    }

    @Test
    void decodeRejectsASubjectThatIsNotTheDataCluster() {
        Map<String, byte[]> headers = headers();
        headers.put("ce_subject", "orders-eu2".getBytes(UTF_8));

        assertReason("subject orders-eu2 does not match data.cluster orders-eu1", headers, body());
    }

    @Test
    void decodeRejectsAnotherSpecVersion() {
        Map<String, byte[]> headers = headers();
        headers.put("ce_specversion", "0.3".getBytes(UTF_8));

        assertReason("unsupported CloudEvents ce_specversion 0.3 (expected 1.0)", headers, body());
    }

    @Test
    void decodeRejectsABlankIdAndAnUnparseableTime() {
        Map<String, byte[]> blankId = headers();
        blankId.put("ce_id", " ".getBytes(UTF_8));
        assertReason("CloudEvents attribute ce_id is blank", blankId, body());

        Map<String, byte[]> badTime = headers();
        badTime.put("ce_time", "yesterday".getBytes(UTF_8));
        assertReason("CloudEvents attribute ce_time is not an RFC 3339 timestamp: 'yesterday'", badTime, body());
    }

    @Test
    void decodeAcceptsRfc3339TimesWithAnOffset() throws Exception {
        Map<String, byte[]> headers = headers();
        headers.put("ce_time", "2026-11-25T03:15:00.5+01:00".getBytes(UTF_8));

        assertEquals(
                Instant.parse("2026-11-25T02:15:00.500Z"),
                CloudEventCodec.decode(headers, body()).time());
    }

    @Test
    void structuredModeRoundTripsAndRejectsMissingAttributes() throws Exception {
        EventEnvelope e = EventEnvelope.wrap(Samples.of(NodeUnreachable.class), "/pgops/health-service", "flow-1");
        assertEquals(e, CloudEventCodec.decodeStructured(CloudEventCodec.structured(e)));

        ObjectNode event = (ObjectNode) CloudEventCodec.json().readTree(CloudEventCodec.structured(e));
        event.remove("type");
        MalformedEventException ex =
                assertThrows(MalformedEventException.class, () -> CloudEventCodec.decodeStructured(bytes(event)));
        assertEquals("missing CloudEvents attribute type", ex.reason());
    }

    private static Map<String, byte[]> headers() {
        EventEnvelope e = envelope();
        return new LinkedHashMap<>(CloudEventCodec.headers(e));
    }

    private static byte[] body() {
        return CloudEventCodec.body(envelope());
    }

    private static EventEnvelope envelope() {
        return new EventEnvelope(
                "5d0f1c1e-2a4b-4c55-9d3e-7a8b9c0d1e2f",
                "/pgops/health-service",
                NODE_UNREACHABLE,
                Samples.CLUSTER,
                Instant.parse("2026-11-25T02:15:00.251Z"),
                "5d0f1c1e-2a4b-4c55-9d3e-7a8b9c0d1e2f",
                Samples.of(NodeUnreachable.class));
    }

    private static byte[] bytes(ObjectNode node) throws Exception {
        return CloudEventCodec.json().writeValueAsBytes(node);
    }

    private static void assertReason(String reason, Map<String, byte[]> headers, byte[] body) {
        MalformedEventException e =
                assertThrows(MalformedEventException.class, () -> CloudEventCodec.decode(headers, body));
        assertEquals(reason, e.reason());
    }

    @Test
    void theRequesterTravelsAsTheTwoPgopsExtensionAttributesInBothModes() throws Exception {
        PgopsEvent command = Samples.of(io.pgops.events.replication.PromoteRequested.class);
        Requester alice = new Requester("alice@example.com", List.of("pgops-operator", "pgops-admin"));
        EventEnvelope sent = EventEnvelope.wrap(command, "/pgops/replication-service", null, alice);

        Map<String, byte[]> headers = CloudEventCodec.headers(sent);
        EventEnvelope binary = CloudEventCodec.decode(headers, CloudEventCodec.body(sent));
        EventEnvelope structured = CloudEventCodec.decodeStructured(CloudEventCodec.structured(sent));

        assertEquals("alice@example.com", new String(headers.get(CloudEventCodec.CE_PRINCIPAL), UTF_8));
        assertEquals("pgops-admin,pgops-operator", new String(headers.get(CloudEventCodec.CE_ROLES), UTF_8));
        assertEquals(alice, binary.requester());
        assertEquals(sent, binary);
        assertEquals(sent, structured);
    }

    @Test
    void anEventWithoutThePrincipalAttributeHasNoRequester() throws Exception {
        EventEnvelope sent = EventEnvelope.wrap(Samples.of(NodeUnreachable.class), "/pgops/health-service", null);

        EventEnvelope received = CloudEventCodec.decode(CloudEventCodec.headers(sent), CloudEventCodec.body(sent));

        assertEquals(null, received.requester());
    }

    @Test
    void rejectsARoleThatIsNotARoleName() {
        EventEnvelope sent = EventEnvelope.wrap(Samples.of(NodeUnreachable.class), "/pgops/health-service", null);
        Map<String, byte[]> headers = new LinkedHashMap<>(CloudEventCodec.headers(sent));
        headers.put(CloudEventCodec.CE_PRINCIPAL, "mallory".getBytes(UTF_8));
        headers.put(CloudEventCodec.CE_ROLES, "pgops-admin, root access".getBytes(UTF_8));

        MalformedEventException e = assertThrows(
                MalformedEventException.class, () -> CloudEventCodec.decode(headers, CloudEventCodec.body(sent)));

        assertTrue(e.getMessage().contains("pgopsroles"), e.getMessage());
    }
}
