package io.pgops.health.health;

import io.pgops.health.config.HealthConfig;
import io.pgops.health.service.Clusters;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live while every cluster's probe cycle keeps finishing. A dead node does not stop a cycle (its
 * probe times out and is a finding); only a stuck loop does, and then a restart is the cure. A cycle
 * may take up to the probe timeout, so a cluster is stale after 3 × (interval + connect timeout +
 * statement timeout) without a finished cycle, counted from start-up before the first.
 */
@Liveness
@ApplicationScoped
public class ProbeLoopLivenessCheck implements HealthCheck {
    private final Clusters clusters;
    private final Duration stale;
    private final Instant startedAt = Instant.now();

    public ProbeLoopLivenessCheck(Clusters clusters, HealthConfig config) {
        this.clusters = clusters;
        this.stale = config.interval()
                .plus(config.connectTimeout())
                .plus(config.statementTimeout())
                .multipliedBy(3);
    }

    @Override
    public HealthCheckResponse call() {
        Instant now = Instant.now();
        HealthCheckResponseBuilder b =
                HealthCheckResponse.named("probe-loop").up().withData("stale-after", stale.toString());
        for (Clusters.Watched c : clusters.all()) {
            Instant last = c.lastCycle().get();
            Duration since = Duration.between(last == null ? startedAt : last, now);
            b.withData(c.id().value(), last == null ? "no cycle finished yet" : "last cycle " + last);
            if (since.compareTo(stale) > 0) {
                b.down();
            }
        }
        return b.build();
    }
}
