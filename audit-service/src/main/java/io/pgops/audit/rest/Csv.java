package io.pgops.audit.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgops.audit.service.AuditRecord;
import java.util.List;

/** Events as RFC 4180 CSV: a header row, then one row per event; {@code data} as a JSON text cell. */
final class Csv {
    static final String MEDIA_TYPE = "text/csv";
    static final String HEADER =
            "seq,eventId,time,cluster,node,type,source,correlationId,principal,recordedAt,hash,data\r\n";

    private Csv() {}

    static String of(List<AuditRecord> records, ObjectMapper json) {
        StringBuilder out = new StringBuilder(HEADER);
        for (AuditRecord r : records) {
            Object[] cells = {
                r.seq(),
                r.eventId(),
                r.time(),
                r.cluster(),
                r.node(),
                r.type(),
                r.source(),
                r.correlationId(),
                r.principal(),
                r.recordedAt(),
                r.hash(),
                json(json, r)
            };
            for (int i = 0; i < cells.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                cell(out, cells[i] == null ? "" : cells[i].toString());
            }
            out.append("\r\n");
        }
        return out.toString();
    }

    private static String json(ObjectMapper json, AuditRecord r) {
        try {
            return json.writeValueAsString(r.data());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the data of event " + r.eventId(), e);
        }
    }

    /** Quotes a cell when it holds a comma, a quote or a line break (quotes doubled). */
    static void cell(StringBuilder out, String value) {
        boolean quote = value.indexOf(',') >= 0
                || value.indexOf('"') >= 0
                || value.indexOf('\n') >= 0
                || value.indexOf('\r') >= 0;
        if (!quote) {
            out.append(value);
            return;
        }
        out.append('"').append(value.replace("\"", "\"\"")).append('"');
    }
}
