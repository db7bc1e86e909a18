package io.pgops.events;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CloudEvents 1.0 Kafka protocol binding in binary mode, without a Kafka dependency: attributes travel as
 * {@code ce_*} headers (UTF-8), the event record as the JSON body, the cluster id as the key. The structured
 * mode ({@link #structured}) is used for golden files, the audit log and the dead-letter topic.
 */
public final class CloudEventCodec {
    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE = "application/json";

    public static final String CE_SPECVERSION = "ce_specversion";
    public static final String CE_ID = "ce_id";
    public static final String CE_SOURCE = "ce_source";
    public static final String CE_TYPE = "ce_type";
    public static final String CE_SUBJECT = "ce_subject";
    public static final String CE_TIME = "ce_time";
    public static final String CE_CORRELATIONID = "ce_correlationid";
    public static final String CE_PRINCIPAL = "ce_pgopsprincipal";
    public static final String CE_ROLES = "ce_pgopsroles";
    public static final String CONTENT_TYPE_HEADER = "content-type";

    private CloudEventCodec() {}

    /**
     * The shared mapper for event records: JavaTimeModule, instants as ISO-8601 text, unknown properties ignored,
     * properties in record component order. Do not reconfigure it; {@code copy()} it instead.
     */
    public static ObjectMapper json() {
        return EventJson.MAPPER;
    }

    /** The Kafka headers of an event, in a stable order. */
    public static Map<String, byte[]> headers(EventEnvelope e) {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        attributes(e).forEach((name, value) -> headers.put("ce_" + name, value.getBytes(UTF_8)));
        headers.put(CONTENT_TYPE_HEADER, CONTENT_TYPE.getBytes(UTF_8));
        return Collections.unmodifiableMap(headers);
    }

    /** The Kafka value of an event: the JSON of its data record. */
    public static byte[] body(EventEnvelope e) {
        try {
            return json().writeValueAsBytes(e.data());
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot serialise " + e.type(), ex);
        }
    }

    /**
     * Decodes a Kafka record in binary mode.
     *
     * @throws MalformedEventException if an attribute is missing or invalid, the type is unknown, the body is not
     *     JSON of that type's record, or the subject is not the data's cluster
     */
    public static EventEnvelope decode(Map<String, byte[]> headers, byte[] body) throws MalformedEventException {
        EnvelopeReader.Attributes attributes = name -> {
            byte[] value = headers.get(name.equals("datacontenttype") ? CONTENT_TYPE_HEADER : "ce_" + name);
            return value == null ? null : new String(value, UTF_8);
        };
        if (body == null || body.length == 0) {
            throw new MalformedEventException("body is empty");
        }
        JsonNode data;
        try {
            data = json().readTree(body);
        } catch (IOException ex) {
            throw new MalformedEventException("body is not valid JSON: " + EnvelopeReader.describe(ex), ex);
        }
        return EnvelopeReader.read(attributes, "ce_", data);
    }

    /** The event in structured mode: one JSON document, {@code application/cloudevents+json}. */
    public static byte[] structured(EventEnvelope e) {
        ObjectNode node = json().createObjectNode();
        attributes(e).forEach(node::put);
        node.put("datacontenttype", CONTENT_TYPE);
        node.set("data", json().valueToTree(e.data()));
        try {
            return json().writeValueAsBytes(node);
        } catch (JsonProcessingException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Decodes an event in structured mode, with the same checks as {@link #decode}. */
    public static EventEnvelope decodeStructured(byte[] event) throws MalformedEventException {
        JsonNode root;
        try {
            root = json().readTree(event);
        } catch (IOException ex) {
            throw new MalformedEventException("event is not valid JSON: " + EnvelopeReader.describe(ex), ex);
        }
        if (root == null || !root.isObject()) {
            throw new MalformedEventException("event is not a JSON object");
        }
        EnvelopeReader.Attributes attributes = name -> {
            JsonNode value = root.get(name);
            return value == null || value.isNull() ? null : value.isTextual() ? value.textValue() : value.toString();
        };
        return EnvelopeReader.read(attributes, "", root.get("data"));
    }

    private static Map<String, String> attributes(EventEnvelope e) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("specversion", SPEC_VERSION);
        attributes.put("id", e.id());
        attributes.put("source", e.source());
        attributes.put("type", e.type());
        attributes.put("subject", e.subject().value());
        attributes.put("time", e.time().toString());
        attributes.put("correlationid", e.correlationId());
        if (e.requester() != null) {
            attributes.put("pgopsprincipal", e.requester().principal());
            attributes.put("pgopsroles", e.requester().rolesAttribute());
        }
        return attributes;
    }
}
