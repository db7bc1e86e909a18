package io.pgops.audit.domain;

import io.pgops.events.CloudEventCodec;
import io.pgops.events.EventEnvelope;
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
        StringBuilder head = new StringBuilder(256).append('{');
        attribute(head, "specversion", CloudEventCodec.SPEC_VERSION);
        attribute(head, "id", e.id());
        attribute(head, "source", e.source());
        attribute(head, "type", e.type());
        attribute(head, "subject", e.subject().value());
        attribute(head, "time", e.time().toString());
        attribute(head, "correlationid", e.correlationId());
        attribute(head, "datacontenttype", CloudEventCodec.CONTENT_TYPE);
        head.append("\"data\":");
        byte[] start = head.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(start.length + body.length + 1);
        out.writeBytes(start);
        out.writeBytes(body);
        out.write('}');
        return out.toByteArray();
    }

    private static void attribute(StringBuilder out, String name, String value) {
        out.append('"').append(name).append("\":");
        quote(out, value);
        out.append(',');
    }

    /** A JSON string literal (RFC 8259): quote, backslash and control characters escaped. */
    static void quote(StringBuilder out, String value) {
        out.append('"');
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
}
