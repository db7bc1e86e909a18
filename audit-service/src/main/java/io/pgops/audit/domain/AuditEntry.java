package io.pgops.audit.domain;

import io.pgops.events.CloudEventCodec;
import io.pgops.events.EventEnvelope;
import io.pgops.events.MalformedEventException;
import io.pgops.events.OperatorCommand;
import io.pgops.events.PgopsEvent;
import io.pgops.events.model.NodeName;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One event as the audit trail records it: the columns it is searched by, and its recorded bytes
 * ({@link RecordedForm}), which are what the hash chain covers. The columns are derived from the
 * bytes, so {@link #fromRecordedBytes} re-derives them to check a stored row.
 *
 * @param eventId the CloudEvents id
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

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    public AuditEntry {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(bytes, "bytes");
    }

    /**
     * The entry of a decoded event and the body it was published with.
     *
     * @throws MalformedEventException if the id is not a UUID (the trail's key), or the body is not
     *     UTF-8 without a byte order mark (RFC 8259 §8.1), which the recorded form embeds verbatim
     */
    public static AuditEntry of(EventEnvelope envelope, byte[] body) throws MalformedEventException {
        if (!UUID_TEXT.matcher(envelope.id()).matches()) {
            throw new MalformedEventException("CloudEvents attribute ce_id is not a UUID: " + envelope.id());
        }
        if (body.length >= 3 && body[0] == (byte) 0xEF && body[1] == (byte) 0xBB && body[2] == (byte) 0xBF) {
            throw new MalformedEventException("body starts with a byte order mark: JSON must be plain UTF-8");
        }
        for (byte b : body) {
            if (b == 0) {
                throw new MalformedEventException("body contains NUL bytes: JSON must be UTF-8, not UTF-16/32");
            }
        }
        return columns(envelope, RecordedForm.of(envelope, body));
    }

    /**
     * Re-reads a recorded form: the entry whose columns a stored row must carry.
     *
     * @throws MalformedEventException if the bytes are no longer a valid event
     */
    public static AuditEntry fromRecordedBytes(byte[] bytes) throws MalformedEventException {
        return columns(CloudEventCodec.decodeStructured(bytes), bytes);
    }

    private static AuditEntry columns(EventEnvelope e, byte[] bytes) {
        return new AuditEntry(
                e.id(),
                e.type(),
                e.subject().value(),
                nodeOf(e.data()),
                e.source(),
                // the database keeps microseconds: derive the column as it will be stored
                e.time().truncatedTo(ChronoUnit.MICROS),
                e.correlationId(),
                e.data() instanceof OperatorCommand c ? c.principal() : null,
                bytes);
    }

    /** {@code data.node} when the event's record has a {@code NodeName node} component and it is set. */
    static String nodeOf(PgopsEvent data) {
        RecordComponent c = NODE_COMPONENT.get(data.getClass());
        if (c == null) {
            return null;
        }
        try {
            Object node = c.getAccessor().invoke(data);
            return node == null ? null : ((NodeName) node).value();
        } catch (IllegalAccessException | InvocationTargetException ex) {
            throw new IllegalStateException(
                    "cannot read node of " + data.getClass().getSimpleName(), ex);
        }
    }

    /** The {@code NodeName node} component of each record class, looked up once per class. */
    private static final ClassValue<RecordComponent> NODE_COMPONENT = new ClassValue<>() {
        @Override
        protected RecordComponent computeValue(Class<?> type) {
            for (RecordComponent c : type.getRecordComponents()) {
                if (c.getName().equals("node") && c.getType() == NodeName.class) {
                    return c;
                }
            }
            return null;
        }
    };

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
