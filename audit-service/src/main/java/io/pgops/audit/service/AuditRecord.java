package io.pgops.audit.service;

import java.time.Instant;
import java.util.Map;

/**
 * One recorded event as the query API returns it.
 *
 * @param seq position in the trail and the hash chain (ascending with recording order)
 * @param node the node the event is about, when it names one
 * @param principal who asked, for operator commands; null for facts
 * @param principalRoles the roles of who asked, comma-separated, as the bearer token granted them (the
 *     command's {@code pgopsroles} attribute); null for facts and for commands recorded before issue 20
 * @param recordedAt when the row was written
 * @param hash the row's chain hash, hex
 * @param data the event's payload as published
 */
public record AuditRecord(
        long seq,
        String eventId,
        String type,
        String cluster,
        String node,
        String source,
        Instant time,
        String correlationId,
        String principal,
        String principalRoles,
        Instant recordedAt,
        String hash,
        Map<String, Object> data) {}
