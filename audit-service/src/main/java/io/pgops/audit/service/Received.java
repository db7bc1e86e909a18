package io.pgops.audit.service;

import io.pgops.audit.domain.AuditEntry;

/**
 * An event as consumed, with where it was read from (kept for provenance, not hashed).
 *
 * @param entry the event's audit entry
 * @param topic the Kafka topic; null when not read from Kafka
 * @param partition the Kafka partition, -1 when unknown
 * @param offset the Kafka offset, -1 when unknown
 */
public record Received(AuditEntry entry, String topic, int partition, long offset) {}
