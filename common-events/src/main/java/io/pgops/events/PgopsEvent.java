package io.pgops.events;

import io.pgops.events.audit.AuditEvent;
import io.pgops.events.backup.BackupEvent;
import io.pgops.events.health.HealthEvent;
import io.pgops.events.maintenance.MaintenanceEvent;
import io.pgops.events.model.ClusterId;
import io.pgops.events.replication.ReplicationEvent;

/**
 * Every message pgops services exchange: one sealed interface per area, one record per event type. Records
 * named in the past tense are facts; records named {@code …Requested} are commands and implement
 * {@link OperatorCommand}. {@link EventTypes} maps each record to its CloudEvents type.
 */
public sealed interface PgopsEvent permits HealthEvent, ReplicationEvent, BackupEvent, MaintenanceEvent, AuditEvent {
    /** The cluster the event is about; the Kafka key and the CloudEvents {@code subject}. */
    ClusterId cluster();
}
