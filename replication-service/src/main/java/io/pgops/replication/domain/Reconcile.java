package io.pgops.replication.domain;

import io.pgops.events.model.NodeName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What must be done so the cluster matches its topology while nobody is changing roles: every node but
 * the target primary streams from it, a node that accepts writes beside the target is fenced and
 * rejoined, the primary names its synchronous standbys and holds a slot for every standby. Nothing is
 * planned when the target primary is not running as a primary: replacing it is a failover, decided
 * elsewhere.
 */
public final class Reconcile {
    private Reconcile() {}

    /** One thing to do. */
    public sealed interface Step {
        NodeName node();

        String reason();
    }

    /** Start the stopped target primary. */
    public record Start(NodeName node, String reason) implements Step {}

    /** Stop the node and make it a standby of the primary (rewind, else rebuild). */
    public record Rejoin(NodeName node, String reason) implements Step {}

    /** Re-point a running standby at the primary. */
    public record Follow(NodeName node, String reason) implements Step {}

    /** On the primary: set synchronous_standby_names and create the missing slots. */
    public record Configure(NodeName node, String synchronousStandbyNames, List<String> createSlots, String reason)
            implements Step {}

    public static List<Step> plan(ClusterState state, NodeName target, int syncCount) {
        return plan(state, target, syncCount, java.util.Set.of());
    }

    /**
     * @param longNotStreaming standbys pointed at the primary that have not streamed for longer than the
     *     coordinator's patience (e.g. they hold WAL the new primary never had, after a forced promotion):
     *     they rejoin, rewound or rebuilt
     */
    public static List<Step> plan(
            ClusterState state, NodeName target, int syncCount, java.util.Set<NodeName> longNotStreaming) {
        Optional<AgentReport> primary = state.report(target);
        if (primary.isEmpty()) {
            return List.of();
        }
        AgentReport p = primary.get();
        if (p.stopped()) {
            return List.of(new Start(target, target + " is the primary by the topology but is not running"));
        }
        if (!p.writable()) {
            return List.of();
        }
        NodeSpec primarySpec = state.spec(target);
        List<Step> steps = new ArrayList<>();
        List<SyncStandbys.Standby> standbys = new ArrayList<>();
        List<String> missingSlots = new ArrayList<>();
        for (NodeSpec n : state.nodes()) {
            if (n.name().equals(target)) {
                continue;
            }
            String slot = Slots.of(n.name());
            if (!p.slots().contains(slot)) {
                missingSlots.add(slot);
            }
            Optional<AgentReport> r = state.report(n.name());
            if (r.isEmpty()) {
                continue;
            }
            AgentReport s = r.get();
            if (s.writable()) {
                steps.add(new Rejoin(n.name(), n.name() + " accepts writes beside the primary " + target));
            } else if (s.stopped()) {
                steps.add(new Rejoin(n.name(), n.name() + " is stopped; it rejoins as a standby of " + target));
            } else if (!s.running()) {
                continue; // alive but not answering (paused, overloaded): never touched
            } else if (s.upstreamPort() == null || s.upstreamPort() != primarySpec.port()) {
                steps.add(new Follow(n.name(), n.name() + " streams from elsewhere than the primary " + target));
            } else if (longNotStreaming.contains(n.name()) && !s.streaming()) {
                steps.add(new Rejoin(
                        n.name(), n.name() + " has not streamed from " + target + " for long; it rejoins (rewind)"));
            } else {
                Optional<AgentReport.Replica> rep = p.replica(n.name());
                long flushLag = rep.map(AgentReport.Replica::flushLsn)
                        .map(f -> Math.max(0, (p.currentLsn() == null ? f : p.currentLsn()).bytesSince(f)))
                        .orElse(Long.MAX_VALUE);
                standbys.add(new SyncStandbys.Standby(
                        n.name(),
                        rep.map(x -> "streaming".equals(x.state())).orElse(false),
                        rep.map(AgentReport.Replica::isSync).orElse(false),
                        flushLag,
                        n.nosync()));
            }
        }
        SyncStandbys.Choice choice = SyncStandbys.choose(standbys, syncCount);
        boolean syncDiffers = !choice.value().equals(p.synchronousStandbyNames());
        if (syncDiffers || !missingSlots.isEmpty()) {
            steps.add(new Configure(
                    target,
                    syncDiffers ? choice.value() : null,
                    missingSlots,
                    (syncDiffers ? choice.reason() : "synchronous standbys unchanged")
                            + (missingSlots.isEmpty() ? "" : "; slots to create: " + missingSlots)));
        }
        return steps;
    }

    /**
     * The synchronous_standby_names a new primary starts with, in force from its first write: a running
     * standby other than the old primary (which must first rejoin, so commits would wait for it), the
     * inventory's {@code nosync} respected; empty when there is none, until {@link #plan} finds one.
     */
    public static String syncNamesForNewPrimary(
            ClusterState state, NodeName newPrimary, NodeName oldPrimary, int syncCount) {
        List<SyncStandbys.Standby> others = state.nodes().stream()
                .filter(n -> !n.name().equals(newPrimary) && !n.name().equals(oldPrimary))
                .filter(n -> state.report(n.name())
                        .map(r -> r.running() && r.inRecovery())
                        .orElse(false))
                .map(n -> new SyncStandbys.Standby(n.name(), true, false, 0, n.nosync()))
                .toList();
        return SyncStandbys.choose(others, syncCount).value();
    }

    /**
     * The synchronous_standby_names of the primary without {@code leaving} (about to be rebuilt or
     * stopped): the other streaming standbys, so commits do not wait for a node that is going away.
     */
    public static String syncNamesWithout(ClusterState state, NodeName primary, NodeName leaving, int syncCount) {
        AgentReport p = state.report(primary).orElseThrow();
        List<SyncStandbys.Standby> others = p.replicas().stream()
                .filter(r -> !r.name().equals(leaving.value()) && "streaming".equals(r.state()))
                .filter(r -> state.has(NodeName.of(r.name())))
                .map(r -> new SyncStandbys.Standby(
                        NodeName.of(r.name()),
                        true,
                        r.isSync(),
                        p.currentLsn() == null || r.flushLsn() == null
                                ? 0
                                : Math.max(0, p.currentLsn().bytesSince(r.flushLsn())),
                        state.spec(NodeName.of(r.name())).nosync()))
                .toList();
        return SyncStandbys.choose(others, syncCount).value();
    }
}
