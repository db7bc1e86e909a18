package io.pgops.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.pgops.events.model.ClusterId;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.stream.Collectors;

/** The checks shared by both CloudEvents modes; every failure names precisely what is wrong. */
final class EnvelopeReader {
    /** Reads a CloudEvents attribute by its name ({@code id}, {@code type}, …); {@code null} if absent. */
    @FunctionalInterface
    interface Attributes {
        String get(String name);
    }

    private EnvelopeReader() {}

    static EventEnvelope read(Attributes attributes, String prefix, JsonNode data) throws MalformedEventException {
        String specVersion = require(attributes, prefix, "specversion");
        if (!CloudEventCodec.SPEC_VERSION.equals(specVersion)) {
            throw new MalformedEventException(
                    "unsupported CloudEvents " + prefix + "specversion " + specVersion + " (expected 1.0)");
        }
        String id = require(attributes, prefix, "id");
        String source = require(attributes, prefix, "source");
        String type = require(attributes, prefix, "type");
        Class<? extends PgopsEvent> eventClass =
                EventTypes.classOf(type).orElseThrow(() -> new MalformedEventException("unknown event type " + type));
        ClusterId subject = subject(require(attributes, prefix, "subject"), prefix);
        Instant time = time(require(attributes, prefix, "time"), prefix);
        String correlationId = attributes.get("correlationid");
        String contentType = attributes.get("datacontenttype");
        if (contentType != null && !contentType.startsWith(CloudEventCodec.CONTENT_TYPE)) {
            throw new MalformedEventException(
                    "unsupported content type " + contentType + " (expected " + CloudEventCodec.CONTENT_TYPE + ")");
        }
        PgopsEvent event = bind(data, eventClass, type);
        Requester requester;
        try {
            requester = Requester.of(attributes.get("pgopsprincipal"), attributes.get("pgopsroles"));
        } catch (IllegalArgumentException ex) {
            throw new MalformedEventException(
                    "CloudEvents attributes " + prefix + "pgopsprincipal/" + prefix + "pgopsroles are invalid: "
                            + ex.getMessage(),
                    ex);
        }
        if (!event.cluster().equals(subject)) {
            throw new MalformedEventException("subject " + subject + " does not match data.cluster " + event.cluster());
        }
        return new EventEnvelope(
                id,
                source,
                type,
                subject,
                time,
                correlationId == null || correlationId.isBlank() ? id : correlationId,
                event,
                requester);
    }

    private static String require(Attributes attributes, String prefix, String name) throws MalformedEventException {
        String value = attributes.get(name);
        if (value == null) {
            throw new MalformedEventException("missing CloudEvents attribute " + prefix + name);
        }
        if (value.isBlank()) {
            throw new MalformedEventException("CloudEvents attribute " + prefix + name + " is blank");
        }
        return value;
    }

    private static ClusterId subject(String text, String prefix) throws MalformedEventException {
        try {
            return ClusterId.of(text);
        } catch (IllegalArgumentException ex) {
            throw new MalformedEventException(
                    "CloudEvents attribute " + prefix + "subject is not a cluster id: " + ex.getMessage(), ex);
        }
    }

    private static Instant time(String text, String prefix) throws MalformedEventException {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException ex) {
            throw new MalformedEventException(
                    "CloudEvents attribute " + prefix + "time is not an RFC 3339 timestamp: '" + text + "'", ex);
        }
    }

    private static PgopsEvent bind(JsonNode data, Class<? extends PgopsEvent> eventClass, String type)
            throws MalformedEventException {
        if (data == null || data.isNull() || data.isMissingNode()) {
            throw new MalformedEventException("body is empty");
        }
        if (!data.isObject()) {
            throw new MalformedEventException("body of " + type + " is not a JSON object");
        }
        for (RecordComponent component : eventClass.getRecordComponents()) {
            if (component.isAnnotationPresent(Nullable.class)) {
                continue;
            }
            JsonNode value = data.get(component.getName());
            if (value == null) {
                throw new MalformedEventException(
                        "body of " + type + " is missing required field " + component.getName());
            }
            if (value.isNull()) {
                throw new MalformedEventException(
                        "body of " + type + " has null for required field " + component.getName());
            }
        }
        try {
            return CloudEventCodec.json().treeToValue(data, eventClass);
        } catch (JsonProcessingException | IllegalArgumentException ex) {
            throw new MalformedEventException("body does not bind to " + type + ": " + describe(ex), ex);
        }
    }

    /** The innermost meaningful message, prefixed by the JSON path where Jackson knows it. */
    static String describe(Exception ex) {
        Throwable cause = ex;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause instanceof JsonProcessingException json ? json.getOriginalMessage() : cause.getMessage();
        if (ex instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String path = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."))
                    .replace(".[", "[");
            return "at " + path + ": " + message;
        }
        return message;
    }
}
