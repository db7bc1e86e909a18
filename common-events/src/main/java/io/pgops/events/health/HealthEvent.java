package io.pgops.events.health;

import io.pgops.events.PgopsEvent;

/** Facts the health service observes by probing every node of a cluster; published on {@code pgops.health.events}. */
public sealed interface HealthEvent extends PgopsEvent
        permits HealthCheckFailed,
                HealthCheckRecovered,
                LagExceeded,
                LagRecovered,
                NodeUnreachable,
                NodeReachable,
                PrimaryUnreachable,
                SecurityFindingDetected,
                SecurityFindingResolved {}
