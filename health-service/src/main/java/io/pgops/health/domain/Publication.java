package io.pgops.health.domain;

import io.pgops.events.health.HealthEvent;

/**
 * An event to publish, the incident it belongs to, and why, in words.
 *
 * @param correlationId the incident's id: opened by the breach, carried by its recovery
 */
public record Publication(HealthEvent event, String correlationId, String reason) {}
