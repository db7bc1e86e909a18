package io.pgops.health.domain;

import io.pgops.events.health.HealthEvent;
import io.pgops.events.health.NodeReachable;
import io.pgops.events.health.NodeUnreachable;
import io.pgops.events.health.PrimaryUnreachable;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The reachability verdict for one node, with debounce and hysteresis: a breach after N failed
 * probes in a row, a recovery after M passing ones, and nothing in between, so a long outage is one
 * event, not one per probe. A breach opens a correlation id that its recovery carries too.
 */
public final class NodeWatch {
    enum Verdict {
        UNKNOWN,
        UP,
        DOWN
    }

    private final ClusterId cluster;
    private final NodeName node;
    private final String host;
    private final int port;
    private final Debounce debounce;

    private Verdict verdict = Verdict.UNKNOWN;
    private int failures;
    private int passes;
    private String lastRole;
    private Lsn lastLsn;
    private Instant lastSeenAt;
    private Instant downSince;
    private String correlationId;

    public NodeWatch(ClusterId cluster, NodeName node, String host, int port, Debounce debounce) {
        this.cluster = cluster;
        this.node = node;
        this.host = host;
        this.port = port;
        this.debounce = debounce;
    }

    /** What to publish after this probe, with the incident's correlation id; usually nothing. */
    public Decision observe(ProbeOutcome probe) {
        return probe.reachable() ? passed(probe) : failed(probe);
    }

    private Decision failed(ProbeOutcome probe) {
        failures++;
        passes = 0;
        if (verdict == Verdict.DOWN || failures < debounce.failuresToBreach()) {
            return Decision.none(failures + " failed probe(s) in a row");
        }
        verdict = Verdict.DOWN;
        downSince = probe.at();
        correlationId = UUID.randomUUID().toString();
        HealthEvent unreachable =
                new NodeUnreachable(cluster, node, host, port, failures, probe.error(), lastSeenAt, probe.at());
        if ("primary".equals(lastRole)) {
            HealthEvent primary = new PrimaryUnreachable(cluster, node, failures, probe.error(), lastLsn, probe.at());
            return new Decision(
                    List.of(unreachable, primary),
                    correlationId,
                    "primary " + node + " failed " + failures + " probes in a row");
        }
        return new Decision(List.of(unreachable), correlationId, node + " failed " + failures + " probes in a row");
    }

    private Decision passed(ProbeOutcome probe) {
        passes++;
        failures = 0;
        lastRole = probe.role();
        lastLsn = probe.lsn() != null ? probe.lsn() : lastLsn;
        lastSeenAt = probe.at();
        if (verdict == Verdict.UNKNOWN) {
            verdict = Verdict.UP;
            return Decision.none("first answer: " + node + " is " + probe.role());
        }
        if (verdict == Verdict.UP || passes < debounce.passesToRecover()) {
            return Decision.none(passes + " passing probe(s) in a row");
        }
        verdict = Verdict.UP;
        long downMillis = Duration.between(downSince, probe.at()).toMillis();
        String incident = correlationId;
        correlationId = null;
        return new Decision(
                List.of(new NodeReachable(cluster, node, probe.role(), probe.timeline(), downMillis, probe.at())),
                incident,
                node + " answered " + passes + " probes in a row after " + downMillis + " ms down");
    }

    public NodeName node() {
        return node;
    }

    /**
     * The events to publish (often none), the incident they belong to, and why, in words.
     *
     * @param correlationId the incident's id, null when there is nothing to publish
     */
    public record Decision(List<HealthEvent> events, String correlationId, String reason) {
        static Decision none(String reason) {
            return new Decision(List.of(), null, reason);
        }
    }
}
