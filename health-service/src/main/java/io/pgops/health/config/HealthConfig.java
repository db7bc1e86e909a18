package io.pgops.health.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Probe schedule and debounce of the health-service ({@code pgops.health.*}). */
@ConfigMapping(prefix = "pgops.health")
public interface HealthConfig {

    /** How often every node is probed. */
    @WithDefault("5s")
    Duration interval();

    /** How long a probe waits for a connection before counting as failed. */
    @WithDefault("2s")
    Duration connectTimeout();

    /** Consecutive failed probes before NodeUnreachable (and PrimaryUnreachable) is published. */
    @WithDefault("3")
    int failuresToBreach();

    /** Consecutive passing probes before NodeReachable is published. */
    @WithDefault("2")
    int passesToRecover();
}
