package io.pgops.health.domain;

import io.pgops.events.health.HealthCheckFailed;
import io.pgops.events.health.HealthCheckRecovered;
import io.pgops.events.health.LagExceeded;
import io.pgops.events.health.LagRecovered;
import io.pgops.events.health.SecurityFindingDetected;
import io.pgops.events.health.SecurityFindingResolved;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a check's breach or recovery into its events: the generic pair, plus the lag pair for lag and the security
 * finding pair for a security check.
 */
final class CheckEvents {
    private CheckEvents() {}

    static List<Publication> breached(ClusterId cluster, NodeName node, CheckResult r, Instant at, String incident) {
        List<Publication> out = new ArrayList<>();
        String why = node + " " + r.check() + " failed: " + r.evidence();
        out.add(new Publication(
                new HealthCheckFailed(
                        cluster, node, r.check(), r.measured(), r.threshold(), r.unit(), r.evidence(), at),
                incident,
                why));
        LagFacts l = r.lag();
        if (l != null) {
            out.add(new Publication(
                    new LagExceeded(
                            cluster,
                            node,
                            l.primary(),
                            l.primaryLsn(),
                            l.standbyReplayLsn(),
                            l.lagBytes(),
                            l.lagMillis(),
                            l.maxLagBytes(),
                            l.maxLagMillis(),
                            r.evidence(),
                            at),
                    incident,
                    why));
        }
        if (CheckNames.SECURITY.contains(r.check())) {
            out.add(new Publication(
                    new SecurityFindingDetected(
                            cluster,
                            node,
                            r.check(),
                            r.severity().name().toLowerCase(java.util.Locale.ROOT),
                            r.evidence(),
                            SecurityRemedies.of(r.check()),
                            at),
                    incident,
                    why));
        }
        return out;
    }

    static List<Publication> recovered(
            ClusterId cluster, NodeName node, CheckResult r, String evidence, Instant at, Watch.Outcome o) {
        List<Publication> out = new ArrayList<>();
        String why = node + " " + r.check() + " recovered: " + evidence;
        out.add(new Publication(
                new HealthCheckRecovered(cluster, node, r.check(), r.measured(), r.threshold(), r.unit(), evidence, at),
                o.correlationId(),
                why));
        LagFacts l = r.lag();
        if (l != null) {
            long exceededFor = o.breachedAt() == null
                    ? 0
                    : Math.max(0, Duration.between(o.breachedAt(), at).toMillis());
            out.add(new Publication(
                    new LagRecovered(
                            cluster,
                            node,
                            l.primary(),
                            l.primaryLsn(),
                            l.standbyReplayLsn(),
                            l.lagBytes(),
                            l.lagMillis(),
                            l.maxLagBytes(),
                            l.maxLagMillis(),
                            exceededFor,
                            at),
                    o.correlationId(),
                    why));
        }
        if (CheckNames.SECURITY.contains(r.check())) {
            long openFor = o.breachedAt() == null
                    ? 0
                    : Math.max(0, Duration.between(o.breachedAt(), at).toMillis());
            out.add(new Publication(
                    new SecurityFindingResolved(cluster, node, r.check(), evidence, openFor, at),
                    o.correlationId(),
                    why));
        }
        return out;
    }
}
