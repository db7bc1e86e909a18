package io.pgops.events.maintenance;

import io.pgops.events.PgopsEvent;

/** Commands to and facts of the maintenance service: vacuum/analyze/reindex tasks, migrations, config drift. */
public sealed interface MaintenanceEvent extends PgopsEvent
        permits MaintenanceDue,
                MaintenanceStarted,
                MaintenanceCompleted,
                MaintenanceFailed,
                MigrationRequested,
                MigrationApplied,
                MigrationFailed,
                ConfigDriftDetected,
                RoleProvisioned,
                EmergencyActionRequested {}
