package io.pgops.audit.domain;

import io.pgops.events.CloudEventCodec;
import io.pgops.events.EventEnvelope;
import io.pgops.events.Requester;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The bytes the audit trail records and hashes for an event: the CloudEvent in structured mode,
 * attributes in a fixed order ({@code specversion, id, source, type, subject, time, correlationid,
 * datacontenttype}) without whitespace, then {@code "data":} followed by the Kafka record's value
 * exactly as it was published. Keeping the published body byte for byte means nothing a newer
 * producer added is lost, and anyone holding the Kafka record can rebuild the same bytes.
 */
public final class RecordedForm {
    private RecordedForm() {}

    /** The recorded form of a decoded event whose Kafka value was {@code body} (valid JSON). */
    public static byte[] of(EventEnvelope e, byte[] body) {
        Requester r = e.requester();
        return of(
                e.id(),
                e.source(),
                e.type(),
                e.subject().value(),
                e.time().toString(),
                e.correlationId(),
                r == null ? null : r.principal(),
                r == null ? null : r.rolesAttribute(),
                body);
    }

    /**
     * As {@link #of(String, String, String, String, String, String, byte[])}, with who asked for a command: the
     * extension attributes {@code pgopsprincipal} and {@code pgopsroles} follow {@code datacontenttype}. Without a
     * principal the form is exactly the one without them, so an event without a requester records as before.
     */
    public static byte[] of(
            String id,
            String source,
            String type,
            String subject,
            String time,
            String correlationId,
            String principal,
            String roles,
            byte[] body) {
        if (principal == null) {
            return of(id, source, type, subject, time, correlationId, body);
        }
        StringBuilder head = head(320, id, source, type, subject, time, correlationId);
        attribute(head, "pgopsprincipal", principal);
        attribute(head, "pgopsroles", roles == null ? "" : roles);
        return withData(head, body);
    }

    /**
     * The recorded form of an event from its checked attributes ({@code time} as {@code
     * Instant.toString()} writes it) and its Kafka value {@code body} (valid JSON).
     */
    public static byte[] of(
            String id, String source, String type, String subject, String time, String correlationId, byte[] body) {
        byte[] ascii = ascii(id, source, type, subject, time, correlationId, body);
        if (ascii != null) {
            return ascii;
        }
        StringBuilder head = head(256, id, source, type, subject, time, correlationId);
        return withData(head, body);
    }

    /** The attributes every recorded form starts with, in their fixed order (the hash chain depends on it). */
    private static StringBuilder head(
            int capacity, String id, String source, String type, String subject, String time, String correlationId) {
        StringBuilder head = new StringBuilder(capacity).append('{');
        attribute(head, "specversion", CloudEventCodec.SPEC_VERSION);
        attribute(head, "id", id);
        attribute(head, "source", source);
        attribute(head, "type", type);
        attribute(head, "subject", subject);
        attribute(head, "time", time);
        attribute(head, "correlationid", correlationId);
        attribute(head, "datacontenttype", CloudEventCodec.CONTENT_TYPE);
        return head;
    }

    private static byte[] withData(StringBuilder head, byte[] body) {
        head.append("\"data\":");
        byte[] start = head.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(start.length + body.length + 1);
        out.writeBytes(start);
        out.writeBytes(body);
        out.write('}');
        return out.toByteArray();
    }

    /** The names before each attribute's value, in order; the values are quoted. */
    private static final String[] NAMES = {
        "{\"specversion\":\"",
        "\",\"id\":\"",
        "\",\"source\":\"",
        "\",\"type\":\"",
        "\",\"subject\":\"",
        "\",\"time\":\"",
        "\",\"correlationid\":\"",
        "\",\"datacontenttype\":\""
    };

    private static final String BEFORE_DATA = "\",\"data\":";

    private static final byte[][] NAME_BYTES = new byte[NAMES.length][];

    private static final byte[] BEFORE_DATA_BYTES = BEFORE_DATA.getBytes(StandardCharsets.US_ASCII);

    static {
        for (int i = 0; i < NAMES.length; i++) {
            NAME_BYTES[i] = NAMES[i].getBytes(StandardCharsets.US_ASCII);
        }
    }

    /**
     * The same bytes as the general path, written straight into one array when every attribute is
     * printable ASCII without quote or backslash (nothing to escape or encode: the usual case); else
     * null.
     */
    private static byte[] ascii(
            String id, String source, String type, String subject, String time, String correlationId, byte[] body) {
        String[] values = {
            CloudEventCodec.SPEC_VERSION, id, source, type, subject, time, correlationId, CloudEventCodec.CONTENT_TYPE
        };
        int size = BEFORE_DATA.length() + body.length + 1;
        for (int i = 0; i < values.length; i++) {
            String v = values[i];
            for (int k = 0; k < v.length(); k++) {
                char c = v.charAt(k);
                if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\') {
                    return null;
                }
            }
            size += NAMES[i].length() + v.length();
        }
        byte[] out = new byte[size];
        int p = 0;
        for (int i = 0; i < values.length; i++) {
            System.arraycopy(NAME_BYTES[i], 0, out, p, NAME_BYTES[i].length);
            p = put(out, p + NAME_BYTES[i].length, values[i]);
        }
        System.arraycopy(BEFORE_DATA_BYTES, 0, out, p, BEFORE_DATA_BYTES.length);
        p += BEFORE_DATA_BYTES.length;
        System.arraycopy(body, 0, out, p, body.length);
        out[p + body.length] = '}';
        return out;
    }

    /** Writes ASCII text at {@code p}; returns the position after it. */
    private static int put(byte[] out, int p, String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            out[p + i] = (byte) ascii.charAt(i);
        }
        return p + ascii.length();
    }

    private static void attribute(StringBuilder out, String name, String value) {
        out.append('"').append(name).append("\":");
        quote(out, value);
        out.append(',');
    }

    /** A JSON string literal (RFC 8259): quote, backslash and control characters escaped. */
    static void quote(StringBuilder out, String value) {
        out.append('"');
        if (plain(value)) {
            out.append(value).append('"');
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Whether nothing in {@code value} needs escaping (the usual case). */
    private static boolean plain(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }
}
