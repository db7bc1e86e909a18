package io.pgops.audit.domain;

import io.pgops.events.CloudEventCodec;
import io.pgops.events.EventEnvelope;
import io.pgops.events.MalformedEventException;
import java.time.Instant;
import java.util.Objects;

/**
 * One event as the audit trail records it: the columns it is searched by, and its recorded bytes
 * ({@link RecordedForm}), which are what the hash chain covers. The columns are derived from the
 * bytes, so {@link #fromRecordedBytes} re-derives them to check a stored row.
 *
 * @param eventId the CloudEvents id, in lower case (the trail's key is a {@code uuid} column); the
 *     recorded bytes keep it as published
 * @param type the CloudEvents type
 * @param cluster the cluster id (the CloudEvents subject)
 * @param node the node the event is about, when its data names one ({@code data.node}); else null
 * @param source the emitting service
 * @param time when the event was emitted (UTC instant, microseconds)
 * @param correlationId the flow the event belongs to
 * @param principal who asked, for a command; null for a fact
 * @param bytes the recorded form, UTF-8 JSON; never modified after construction
 */
public record AuditEntry(
        String eventId,
        String type,
        String cluster,
        String node,
        String source,
        Instant time,
        String correlationId,
        String principal,
        byte[] bytes) {

    public AuditEntry {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(bytes, "bytes");
    }

    /**
     * The entry of a record received in binary mode: its CloudEvents attributes and its Kafka value.
     * The checks are {@link EventCheck}'s: the envelope as every consumer checks it, the body as one
     * well-formed JSON object with the record's required fields, its cluster, node and principal; the
     * record itself is not bound.
     *
     * @throws MalformedEventException with the reason, if the record is not a well-formed pgops event;
     *     also if the id is not a UUID (the trail's key), or the body is not UTF-8 without a byte order
     *     mark (RFC 8259 §8.1), which the recorded form embeds verbatim
     */
    public static AuditEntry of(CloudEventAttributes attributes, byte[] body) throws MalformedEventException {
        return EventCheck.received(attributes, body);
    }

    /** The entry of an event published as {@code envelope} with Kafka value {@code body}. */
    public static AuditEntry of(EventEnvelope envelope, byte[] body) throws MalformedEventException {
        return of(CloudEventAttributes.ofHeaders(CloudEventCodec.headers(envelope)), body);
    }

    /**
     * Re-reads a recorded form with the same checks: the entry whose columns a stored row must carry.
     *
     * @throws MalformedEventException if the bytes are no longer a well-formed event
     */
    public static AuditEntry fromRecordedBytes(byte[] bytes) throws MalformedEventException {
        return EventCheck.recorded(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuditEntry a
                && eventId.equals(a.eventId)
                && Objects.equals(type, a.type)
                && Objects.equals(cluster, a.cluster)
                && Objects.equals(node, a.node)
                && Objects.equals(source, a.source)
                && Objects.equals(time, a.time)
                && Objects.equals(correlationId, a.correlationId)
                && Objects.equals(principal, a.principal)
                && java.util.Arrays.equals(bytes, a.bytes);
    }

    @Override
    public int hashCode() {
        return eventId.hashCode();
    }

    @Override
    public String toString() {
        return "AuditEntry[" + type + " " + eventId + " of " + cluster + "]";
    }
}
