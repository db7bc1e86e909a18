package io.pgops.replication.domain;

import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What must be done so the cluster matches its topology while nobody is changing roles: every node but
 * the target primary streams from it, a node that accepts writes beside the target is fenced and
 * rejoined, the primary holds a slot for every standby (its synchronous standbys: {@link SyncPlan}). Nothing is
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

    /**
     * Replace the standby's data directory with a fresh copy of the primary's (pg_basebackup): for one that
     * neither diverged nor streams, whose own WAL holds a record the primary's never had at that position (a torn
     * record left by a kill) so that a rewind finds nothing to do and replay waits for ever.
     */
    public record Rebuild(NodeName node, String reason) implements Step {}

    /** Re-point a running standby at the primary. */
    public record Follow(NodeName node, String reason) implements Step {}

    /** On the primary: set synchronous_standby_names and create the missing slots. */
    public record Configure(NodeName node, String synchronousStandbyNames, List<String> createSlots, String reason)
            implements Step {}

    public static List<Step> plan(ClusterState state, NodeName target) {
        return plan(state, target, java.util.Set.of());
    }

    /**
     * @param longNotStreaming standbys pointed at the primary that have not streamed for longer than the
     *     coordinator's patience: those that diverged (another timeline, WAL past the primary's, e.g. after
     *     a forced promotion) rejoin, rewound or rebuilt; the others only lost their connection and are left
     *     to reconnect
     */
    public static List<Step> plan(ClusterState state, NodeName target, java.util.Set<NodeName> longNotStreaming) {
        return plan(state, target, longNotStreaming, java.util.Set.of());
    }

    /**
     * @param stuck standbys pointed at the primary that have not streamed for far longer (the coordinator's
     *     patience three times over) though they did not diverge: replay waits for ever on a record of their own
     *     WAL the primary never wrote (seen after rounds of kills and restarts: "invalid contrecord length … waiting
     *     for WAL to become available"), which a rewind does not touch, so they are rebuilt
     */
    public static List<Step> plan(
            ClusterState state,
            NodeName target,
            java.util.Set<NodeName> longNotStreaming,
            java.util.Set<NodeName> stuck) {
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
            } else if (longNotStreaming.contains(n.name()) && !s.streaming() && diverged(s, p)) {
                steps.add(new Rejoin(
                        n.name(),
                        n.name() + " has not streamed from " + target + " for long and " + divergence(s, p)
                                + "; it rejoins (rewind)"));
            } else if (stuck.contains(n.name()) && !s.streaming()) {
                steps.add(new Rebuild(
                        n.name(),
                        n.name() + " has not streamed from " + target + " for three times the patience though it"
                                + " did not diverge (WAL receiver: " + s.receiverStatus() + "); it is rebuilt"));
            }
        }
        if (!missingSlots.isEmpty()) {
            steps.add(new Configure(target, null, missingSlots, "slots to create: " + missingSlots));
        }
        return steps;
    }

    /**
     * After a change whose promotion failed once the old primary was fenced (the candidate was restarting, or the
     * promotion's outcome is unknown): whether the target, a running standby while no node of the cluster takes
     * writes, is promoted again; why, or empty (not running yet: {@link #plan} starts it; a node writable: it
     * was promoted after all, or a stray is handled first).
     */
    public static Optional<String> promoteAgain(ClusterState state, NodeName target) {
        Optional<AgentReport> t = state.report(target);
        if (t.isEmpty() || !t.get().running() || !t.get().inRecovery()) {
            return Optional.empty();
        }
        if (state.reports().values().stream().anyMatch(AgentReport::writable)) {
            return Optional.empty();
        }
        return Optional.of(target + " is the target primary but still a standby and no node takes writes: its"
                + " promotion is tried again");
    }

    /**
     * Whether a standby that stopped streaming from the primary holds WAL the primary never had, so only a
     * rewind (or a rebuild) lets it follow again: another timeline, or a position past the primary's. A
     * standby on the primary's timeline and not ahead of it only lost its connection (the primary was
     * restarted in place, the network dropped): it reconnects by itself, a rewind would be needless.
     */
    static boolean diverged(AgentReport standby, AgentReport primary) {
        return divergence(standby, primary) != null;
    }

    private static String divergence(AgentReport standby, AgentReport primary) {
        if (!standby.timeline().equals(primary.timeline())) {
            return "follows timeline " + standby.timeline().value() + ", the primary "
                    + primary.timeline().value();
        }
        if (standby.checkpointTimeline() != null
                && !standby.checkpointTimeline().equals(primary.timeline())) {
            // it knows the primary's timeline (its history file) but has not replayed onto it
            return "has replayed on timeline " + standby.checkpointTimeline().value() + " only, the primary is on "
                    + primary.timeline().value();
        }
        Optional<Lsn> held = Stream.of(standby.receiveLsn(), standby.replayLsn())
                .filter(java.util.Objects::nonNull)
                .max(Lsn::compareTo);
        if (held.isPresent() && primary.currentLsn() != null && held.get().compareTo(primary.currentLsn()) > 0) {
            return "holds WAL up to " + held.get() + ", past the primary's " + primary.currentLsn();
        }
        return null;
    }

    /**
     * The synchronous_standby_names a new primary starts with, in force from its first write: a running
     * standby other than the old primary (which must first rejoin, so commits would wait for it), the
     * inventory's {@code nosync} respected; empty when there is none, until {@link #plan} finds one.
     */
    public static SyncStandbys.Choice syncForNewPrimary(
            ClusterState state, NodeName newPrimary, NodeName oldPrimary, int syncCount) {
        List<SyncStandbys.Standby> others = state.nodes().stream()
                .filter(n -> !n.name().equals(newPrimary) && !n.name().equals(oldPrimary))
                .filter(n -> state.report(n.name())
                        .map(r -> r.running() && r.inRecovery())
                        .orElse(false))
                .map(n -> new SyncStandbys.Standby(n.name(), true, false, 0, n.nosync()))
                .toList();
        return SyncStandbys.choose(others, syncCount);
    }
}
