package io.pgops.audit.domain;

import io.pgops.events.CloudEventCodec;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The CloudEvents attributes of a record as received, text not yet checked; null when absent. In
 * binary mode they are the {@code ce_*} headers and {@code content-type}, UTF-8. {@code pgopsprincipal}
 * and {@code pgopsroles} name who asked for a command (the authenticated caller, issue 20).
 */
public record CloudEventAttributes(
        String specversion,
        String id,
        String source,
        String type,
        String subject,
        String time,
        String correlationid,
        String datacontenttype,
        String pgopsprincipal,
        String pgopsroles) {

    /** The attributes of an event without a requester. */
    public CloudEventAttributes(
            String specversion,
            String id,
            String source,
            String type,
            String subject,
            String time,
            String correlationid,
            String datacontenttype) {
        this(specversion, id, source, type, subject, time, correlationid, datacontenttype, null, null);
    }

    /** The attributes of a Kafka record's headers (a repeated header keeps its last value). */
    public static CloudEventAttributes ofHeaders(Map<String, byte[]> headers) {
        Builder b = new Builder();
        headers.forEach(b::header);
        return b.build();
    }

    /** Collects attributes header by header, ignoring headers that are not CloudEvents attributes. */
    public static final class Builder {
        private String specversion;
        private String id;
        private String source;
        private String type;
        private String subject;
        private String time;
        private String correlationid;
        private String datacontenttype;
        private String pgopsprincipal;
        private String pgopsroles;

        public Builder header(String key, byte[] value) {
            switch (key) {
                case CloudEventCodec.CE_SPECVERSION -> specversion = text(value);
                case CloudEventCodec.CE_ID -> id = text(value);
                case CloudEventCodec.CE_SOURCE -> source = text(value);
                case CloudEventCodec.CE_TYPE -> type = text(value);
                case CloudEventCodec.CE_SUBJECT -> subject = text(value);
                case CloudEventCodec.CE_TIME -> time = text(value);
                case CloudEventCodec.CE_CORRELATIONID -> correlationid = text(value);
                case CloudEventCodec.CONTENT_TYPE_HEADER -> datacontenttype = text(value);
                case CloudEventCodec.CE_PRINCIPAL -> pgopsprincipal = text(value);
                case CloudEventCodec.CE_ROLES -> pgopsroles = text(value);
                default -> {
                    // not an attribute the audit reads
                }
            }
            return this;
        }

        public CloudEventAttributes build() {
            return new CloudEventAttributes(
                    specversion,
                    id,
                    source,
                    type,
                    subject,
                    time,
                    correlationid,
                    datacontenttype,
                    pgopsprincipal,
                    pgopsroles);
        }

        private static String text(byte[] value) {
            return value == null ? null : new String(value, StandardCharsets.UTF_8);
        }
    }
}
