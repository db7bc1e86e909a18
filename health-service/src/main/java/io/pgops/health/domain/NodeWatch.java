package io.pgops.health.domain;

import io.pgops.events.health.HealthEvent;
import io.pgops.events.health.NodeReachable;
import io.pgops.events.health.NodeUnreachable;
import io.pgops.events.health.PrimaryUnreachable;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The reachability verdict for one node: a {@link Watch} whose breach is {@code NodeUnreachable}
 * (plus {@code PrimaryUnreachable} when the node was the primary, by its last answer or by the
 * topology) and whose recovery is {@code NodeReachable} with the same correlation id.
 */
public final class NodeWatch {
    private final ClusterId cluster;
    private final NodeName node;
    private final String host;
    private final int port;
    private final Watch watch;

    private Role lastRole;
    private Lsn lastLsn;
    private Instant lastSeenAt;
    private Instant downSince;

    public NodeWatch(ClusterId cluster, NodeName node, String host, int port, Debounce debounce) {
        this.cluster = cluster;
        this.node = node;
        this.host = host;
        this.port = port;
        this.watch = new Watch(debounce);
    }

    /** What to publish after this probe, with the incident's correlation id; usually nothing. */
    public Decision observe(ProbeOutcome probe) {
        return observe(probe, false);
    }

    /**
     * As {@link #observe(ProbeOutcome)}; {@code topologyPrimary} says the topology names this node
     * as the current primary, so its loss is a {@code PrimaryUnreachable} even if no probe ever
     * saw it answer.
     */
    public Decision observe(ProbeOutcome probe, boolean topologyPrimary) {
        Watch.Outcome o = watch.observe(!probe.reachable(), probe.at());
        if (probe.reachable()) {
            return passed(probe, o);
        }
        return failed(probe, o, topologyPrimary);
    }

    private Decision failed(ProbeOutcome probe, Watch.Outcome o, boolean topologyPrimary) {
        int failures = o.streak();
        if (o.change() != Watch.Change.BREACHED) {
            return Decision.none(failures + " failed probe(s) in a row");
        }
        downSince = probe.at();
        HealthEvent unreachable =
                new NodeUnreachable(cluster, node, host, port, failures, probe.error(), lastSeenAt, probe.at());
        if (lastRole == Role.PRIMARY || topologyPrimary) {
            HealthEvent primary = new PrimaryUnreachable(cluster, node, failures, probe.error(), lastLsn, probe.at());
            return new Decision(
                    List.of(unreachable, primary),
                    o.correlationId(),
                    "primary " + node + " failed " + failures + " probes in a row");
        }
        return new Decision(List.of(unreachable), o.correlationId(), node + " failed " + failures + " probes in a row");
    }

    private Decision passed(ProbeOutcome probe, Watch.Outcome o) {
        Role previousRole = lastRole;
        lastRole = probe.role();
        lastLsn = probe.lsn() != null ? probe.lsn() : lastLsn;
        lastSeenAt = probe.at();
        if (o.change() != Watch.Change.RECOVERED) {
            return Decision.none(
                    previousRole == null
                            ? "first answer: " + node + " is " + probe.role()
                            : o.streak() + " passing probe(s) in a row");
        }
        long downMillis = Duration.between(downSince, probe.at()).toMillis();
        return new Decision(
                List.of(new NodeReachable(cluster, node, probe.role(), probe.timeline(), downMillis, probe.at())),
                o.correlationId(),
                node + " answered " + o.streak() + " probes in a row after " + downMillis + " ms down");
    }

    public NodeName node() {
        return node;
    }

    /** Whether the node is declared unreachable (a breach is open). */
    public boolean down() {
        return watch.state() == Watch.State.FAILING;
    }

    /** The role the node reported at its last answer, null if it never answered. */
    public Role lastRole() {
        return lastRole;
    }

    public Instant lastSeenAt() {
        return lastSeenAt;
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
