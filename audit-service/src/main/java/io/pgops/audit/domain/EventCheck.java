package io.pgops.audit.domain;

import io.pgops.events.CloudEventCodec;
import io.pgops.events.EventTypes;
import io.pgops.events.MalformedEventException;
import io.pgops.events.Nullable;
import io.pgops.events.OperatorCommand;
import io.pgops.events.PgopsEvent;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import java.lang.reflect.RecordComponent;
import java.time.DateTimeException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the audit checks of an event before it records it, and how it derives the searchable columns —
 * without binding the event's record. The envelope is checked as every pgops consumer checks it (same
 * rules, same reasons): {@code specversion} 1.0, {@code id}, {@code source}, {@code type},
 * {@code subject} and {@code time} present and not blank, a known type, a cluster id as subject, an
 * RFC 3339 time, a JSON content type. The body must be one well-formed JSON object ({@link JsonText})
 * that has every required field of the type's record, not null; its {@code cluster} must be the
 * subject, its {@code node} (when the record has one) a node name, its {@code principal} (for a
 * command) a non-blank string. The other fields' types and values are the business of the services
 * that act on the event: the audit keeps the body as it was published, byte for byte.
 *
 * <p>The same rules read a recorded form back ({@link #recorded}), so the verifier re-derives the
 * columns exactly as ingestion derived them.
 */
final class EventCheck {
    private EventCheck() {}

    /** An envelope whose attributes passed the checks. */
    private record Envelope(
            String id,
            String source,
            String type,
            Class<? extends PgopsEvent> eventClass,
            String subject,
            Rfc3339.Time time,
            String correlationId) {}

    /** The columns a body yields. */
    private record BodyColumns(String node, String principal) {}

    /**
     * Checks a record received in binary mode and builds its entry (recorded form and columns).
     *
     * @throws MalformedEventException with the reason, if it is not a well-formed pgops event
     */
    static AuditEntry received(CloudEventAttributes attributes, byte[] body) throws MalformedEventException {
        if (body == null || body.length == 0) {
            throw new MalformedEventException("body is empty");
        }
        if (body.length >= 3 && body[0] == (byte) 0xEF && body[1] == (byte) 0xBB && body[2] == (byte) 0xBF) {
            throw new MalformedEventException("body starts with a byte order mark: JSON must be plain UTF-8");
        }
        for (byte b : body) {
            if (b == 0) {
                throw new MalformedEventException("body contains NUL bytes: JSON must be UTF-8, not UTF-16/32");
            }
        }
        JsonText data;
        try {
            data = JsonText.read(body);
        } catch (JsonText.Invalid e) {
            throw new MalformedEventException("body is not valid JSON: " + e.getMessage(), e);
        }
        Envelope e = envelope(attributes, "ce_");
        BodyColumns columns = body(data, e);
        if (!isUuid(e.id())) {
            throw new MalformedEventException("CloudEvents attribute ce_id is not a UUID: " + e.id());
        }
        String principal = attributes.pgopsprincipal();
        if (principal != null && principal.isBlank()) {
            throw new MalformedEventException("CloudEvents attribute ce_pgopsprincipal is blank");
        }
        byte[] recorded = RecordedForm.of(
                e.id(),
                e.source(),
                e.type(),
                e.subject(),
                e.time().text(),
                e.correlationId(),
                principal,
                attributes.pgopsroles(),
                body);
        return entry(e, columns, recorded);
    }

    /**
     * Reads a recorded form back with the same rules: the entry whose columns its row must carry.
     *
     * @throws MalformedEventException if the bytes are not a well-formed pgops event (any more)
     */
    static AuditEntry recorded(byte[] bytes) throws MalformedEventException {
        JsonText event;
        try {
            event = JsonText.read(bytes);
        } catch (JsonText.Invalid ex) {
            throw new MalformedEventException("event is not valid JSON: " + ex.getMessage(), ex);
        }
        if (event.kind() != JsonText.Kind.OBJECT) {
            throw new MalformedEventException("event is not a JSON object");
        }
        CloudEventAttributes attributes = new CloudEventAttributes(
                attribute(event, "specversion"),
                attribute(event, "id"),
                attribute(event, "source"),
                attribute(event, "type"),
                attribute(event, "subject"),
                attribute(event, "time"),
                attribute(event, "correlationid"),
                attribute(event, "datacontenttype"));
        Envelope e = envelope(attributes, "");
        JsonText.Value d = event.member("data");
        JsonText data;
        if (d == null) {
            throw new MalformedEventException("body is empty");
        }
        try {
            data = JsonText.read(bytes, d.start(), d.end());
        } catch (JsonText.Invalid ex) {
            throw new IllegalStateException("a member of a checked JSON text is checked JSON", ex);
        }
        return entry(e, body(data, e), bytes);
    }

    private static AuditEntry entry(Envelope e, BodyColumns columns, byte[] recorded) {
        return new AuditEntry(
                // the trail's key is a uuid column, which reads back in lower case: compare and store it so
                e.id().toLowerCase(Locale.ROOT),
                e.type(),
                e.subject(),
                columns.node(),
                e.source(),
                // the database keeps microseconds: derive the column as it will be stored
                e.time().instant().truncatedTo(ChronoUnit.MICROS),
                e.correlationId(),
                columns.principal(),
                recorded);
    }

    private static String attribute(JsonText event, String name) {
        JsonText.Value v = event.member(name);
        if (v == null || v.kind() == JsonText.Kind.NULL) {
            return null;
        }
        return v.kind() == JsonText.Kind.STRING ? event.string(v) : event.raw(v);
    }

    /** The envelope checks every pgops consumer makes, in the same order, with the same reasons. */
    private static Envelope envelope(CloudEventAttributes a, String prefix) throws MalformedEventException {
        String specVersion = require(a.specversion(), prefix, "specversion");
        if (!CloudEventCodec.SPEC_VERSION.equals(specVersion)) {
            throw new MalformedEventException(
                    "unsupported CloudEvents " + prefix + "specversion " + specVersion + " (expected 1.0)");
        }
        String id = require(a.id(), prefix, "id");
        String source = require(a.source(), prefix, "source");
        String type = require(a.type(), prefix, "type");
        Class<? extends PgopsEvent> eventClass =
                EventTypes.classOf(type).orElseThrow(() -> new MalformedEventException("unknown event type " + type));
        String subject = require(a.subject(), prefix, "subject");
        try {
            ClusterId.of(subject);
        } catch (IllegalArgumentException ex) {
            throw new MalformedEventException(
                    "CloudEvents attribute " + prefix + "subject is not a cluster id: " + ex.getMessage(), ex);
        }
        String timeText = require(a.time(), prefix, "time");
        Rfc3339.Time time;
        try {
            time = Rfc3339.read(timeText);
        } catch (DateTimeException ex) {
            throw new MalformedEventException(
                    "CloudEvents attribute " + prefix + "time is not an RFC 3339 timestamp: '" + timeText + "'", ex);
        }
        String correlationId = a.correlationid();
        String contentType = a.datacontenttype();
        if (contentType != null && !contentType.startsWith(CloudEventCodec.CONTENT_TYPE)) {
            throw new MalformedEventException(
                    "unsupported content type " + contentType + " (expected " + CloudEventCodec.CONTENT_TYPE + ")");
        }
        return new Envelope(
                id,
                source,
                type,
                eventClass,
                subject,
                time,
                correlationId == null || correlationId.isBlank() ? id : correlationId);
    }

    private static String require(String value, String prefix, String name) throws MalformedEventException {
        if (value == null) {
            throw new MalformedEventException("missing CloudEvents attribute " + prefix + name);
        }
        if (value.isBlank()) {
            throw new MalformedEventException("CloudEvents attribute " + prefix + name + " is blank");
        }
        return value;
    }

    /** The body checks (see the class comment) and the columns it yields. */
    private static BodyColumns body(JsonText data, Envelope e) throws MalformedEventException {
        String type = e.type();
        if (data.kind() == JsonText.Kind.NULL) {
            throw new MalformedEventException("body is empty");
        }
        if (data.kind() != JsonText.Kind.OBJECT) {
            throw new MalformedEventException("body of " + type + " is not a JSON object");
        }
        Shape shape = SHAPES.get(e.eventClass());
        for (String field : shape.required()) {
            JsonText.Value value = data.member(field);
            if (value == null) {
                throw new MalformedEventException("body of " + type + " is missing required field " + field);
            }
            if (value.kind() == JsonText.Kind.NULL) {
                throw new MalformedEventException("body of " + type + " has null for required field " + field);
            }
        }
        String cluster = text(data, "cluster", type);
        if (cluster == null) {
            throw new MalformedEventException("body of " + type + " is missing required field cluster");
        }
        if (!cluster.equals(e.subject())) { // else it is the subject, already checked as a cluster id
            try {
                ClusterId.of(cluster);
            } catch (IllegalArgumentException ex) {
                throw new MalformedEventException(
                        "body does not bind to " + type + ": at cluster: " + ex.getMessage(), ex);
            }
            throw new MalformedEventException("subject " + e.subject() + " does not match data.cluster " + cluster);
        }
        String node = null;
        if (shape.hasNode()) {
            node = text(data, "node", type);
            if (node != null) {
                try {
                    NodeName.of(node);
                } catch (IllegalArgumentException ex) {
                    throw new MalformedEventException(
                            "body does not bind to " + type + ": at node: " + ex.getMessage(), ex);
                }
            }
        }
        String principal = null;
        if (shape.command()) {
            principal = text(data, "principal", type);
            if (principal == null || principal.isBlank()) {
                throw new MalformedEventException("body does not bind to " + type + ": principal must not be blank");
            }
        }
        return new BodyColumns(node, principal);
    }

    /** A member's text; null when absent or null. */
    private static String text(JsonText data, String field, String type) throws MalformedEventException {
        JsonText.Value v = data.member(field);
        if (v == null || v.kind() == JsonText.Kind.NULL) {
            return null;
        }
        if (v.kind() != JsonText.Kind.STRING) {
            throw new MalformedEventException("body does not bind to " + type + ": at " + field + ": expected a"
                    + " string, found " + v.kind().name().toLowerCase(Locale.ROOT));
        }
        return data.string(v);
    }

    /** The canonical text form of a UUID: 8-4-4-4-12 hexadecimal digits. */
    static boolean isUuid(String s) {
        if (s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return false;
                }
            } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * What the audit needs to know of an event record class.
     *
     * @param required the components a body must have, not null (those not marked {@link Nullable})
     * @param hasNode whether the record has a {@code NodeName node} component (the node column)
     * @param command whether it is an {@link OperatorCommand} (the principal column)
     */
    record Shape(List<String> required, boolean hasNode, boolean command) {}

    static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            List<String> required = new ArrayList<>();
            boolean hasNode = false;
            for (RecordComponent c : type.getRecordComponents()) {
                if (!c.isAnnotationPresent(Nullable.class)) {
                    required.add(c.getName());
                }
                if (c.getName().equals("node") && c.getType() == NodeName.class) {
                    hasNode = true;
                }
            }
            return new Shape(List.copyOf(required), hasNode, OperatorCommand.class.isAssignableFrom(type));
        }
    };
}
