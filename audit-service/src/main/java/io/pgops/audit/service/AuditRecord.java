package io.pgops.audit.service;

import java.time.Instant;
import java.util.Map;

/**
 * One recorded event as the query API returns it.
 *
 * @param seq position in the trail (ascending with recording order)
 * @param principal who asked, for operator commands; null for facts
 * @param data the event's payload as published
 */
public record AuditRecord(
        long seq,
        String eventId,
        String type,
        String cluster,
        String source,
        Instant time,
        String correlationId,
        String principal,
        Map<String, Object> data) {}
