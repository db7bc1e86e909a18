package io.pgops.audit.service;

import java.time.Instant;

/**
 * What to select from the trail; every null field selects everything.
 *
 * @param from events emitted at or after this instant
 * @param to events emitted before this instant
 */
public record EventFilter(
        String cluster, String type, String node, String correlationId, String principal, Instant from, Instant to) {}
