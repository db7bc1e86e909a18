package io.pgops.health.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.Map;

/**
 * Probe schedule, connections, debounce and every check's limit ({@code pgops.health.*}). Each limit
 * is a key of {@link Limits} with its default; {@code pgops.health.clusters.<id>.<key>} overrides it
 * for one cluster ({@link ClusterOverrides}).
 */
@ConfigMapping(prefix = "pgops.health")
public interface HealthConfig {

    /** How often every node is probed. */
    @WithDefault("5s")
    Duration interval();

    /** How long a probe waits for a connection before counting as failed. */
    @WithDefault("2s")
    Duration connectTimeout();

    /** PostgreSQL {@code statement_timeout} of the probe's session: no check statement may run longer. */
    @WithDefault("2s")
    Duration statementTimeout();

    /**
     * How often a node is also probed over a brand-new connection (check {@code accepts-connections}):
     * the kept connection would hide a node that refuses new ones (max_connections reached, pg_hba
     * broken). It costs the node about one backend start (~5.7 ms of CPU), hence not every probe.
     * {@code 0s} disables it.
     */
    @WithDefault("5m")
    Duration freshConnectInterval();

    /** Statements quoted in evidence are cut to this many characters. */
    @WithDefault("200")
    @Min(16)
    int queryTextLength();

    /** Consecutive failed probes before a breach (NodeUnreachable, HealthCheckFailed, LagExceeded). */
    @WithDefault("3")
    @Min(1)
    int failuresToBreach();

    /** Consecutive passing probes before a recovery (NodeReachable, HealthCheckRecovered, LagRecovered). */
    @WithDefault("2")
    @Min(1)
    int passesToRecover();

    /** The default limit of every check ({@code pgops.health.<key>}). */
    @WithParentName
    Limits limits();

    /** Per-cluster overrides by cluster id ({@code pgops.health.clusters.<id>.<key>}). */
    Map<String, ClusterOverrides> clusters();
}
