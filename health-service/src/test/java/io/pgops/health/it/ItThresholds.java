package io.pgops.health.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Low limits for the test cluster {@code it}, set as per-cluster overrides (so the overriding
 * itself is under test), and a fast schedule. Every IT uses this same resource set: one Quarkus
 * build for all of them.
 */
public class ItThresholds implements QuarkusTestResourceLifecycleManager {
    static final long LAG_BYTES = 1024 * 1024;

    @Override
    public Map<String, String> start() {
        return Map.ofEntries(
                Map.entry("pgops.health.interval", "1s"),
                Map.entry("pgops.health.connect-timeout", "1s"),
                Map.entry("pgops.health.fresh-connect-interval", "5s"),
                Map.entry("pgops.health.clusters.it.lag-bytes", Long.toString(LAG_BYTES)),
                Map.entry("pgops.health.clusters.it.lag-time", "10m"),
                Map.entry("pgops.health.clusters.it.long-query-age", "2s"),
                Map.entry("pgops.health.clusters.it.long-query-count", "0"),
                Map.entry("pgops.health.clusters.it.blocked-age", "1s"),
                Map.entry("pgops.health.clusters.it.topology-settle", "3s"),
                // one security warning failing on every node, as ssl = off was before the test kit served TLS:
                // the test cluster does not load pgaudit
                Map.entry("pgops.health.clusters.it.pgaudit-required", "true"));
    }

    @Override
    public void stop() {}
}
