package io.pgops.backup.domain;

import io.pgops.events.model.NodeName;
import io.pgops.events.model.Timeline;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which node a backup after a failover is taken from: a base on the new timeline needs a node that is on it. A
 * standby spares the new primary, as for every backup, but right after a failover a standby may still be replaying
 * the old timeline (its upstream died before it was re-pointed, or it is being rewound), and the inventory's role
 * hints describe the cluster as it was built, not as it is now. So the nodes are asked which timeline they are on
 * (IDENTIFY_SYSTEM); a standby already on the new timeline (or a later one) is preferred by role hint (async first),
 * else the new primary itself. No node on the new timeline: no backup, and the reason says why.
 */
public final class FailoverSource {
    private FailoverSource() {}

    /** A node of the inventory, its role hint, and the timeline it reported; empty when it could not be asked. */
    public record Observed(NodeName node, Optional<String> roleHint, Optional<Timeline> timeline) {}

    /** The node chosen (empty: none fits) and why. */
    public record Choice(Optional<NodeName> node, String reason) {}

    private static final List<String> PREFERENCE = List.of("async-standby", "sync-standby", "standby");

    public static Choice choose(List<Observed> nodes, NodeName newPrimary, Timeline newTimeline) {
        Optional<Observed> standby = nodes.stream()
                .filter(o -> !o.node().equals(newPrimary))
                .filter(o -> onNewTimeline(o, newTimeline))
                .min(Comparator.comparingInt(FailoverSource::rank)
                        .thenComparing(o -> o.node().value()));
        if (standby.isPresent()) {
            Observed s = standby.get();
            return new Choice(
                    Optional.of(s.node()),
                    "standby " + s.node() + " (timeline " + s.timeline().orElseThrow()
                            + "): already on the new timeline " + newTimeline + ", and a backup from a standby spares"
                            + " the new primary");
        }
        String behind = nodes.stream()
                .filter(o -> !o.node().equals(newPrimary))
                .map(o -> o.node() + o.timeline().map(t -> " on timeline " + t).orElse(" unreachable"))
                .sorted()
                .reduce((a, b) -> a + ", " + b)
                .map(s -> " (" + s + ")")
                .orElse("");
        Optional<Observed> primary =
                nodes.stream().filter(o -> o.node().equals(newPrimary)).findFirst();
        if (primary.isEmpty()) {
            return new Choice(
                    Optional.empty(),
                    "the new primary " + newPrimary + " is not a node of this cluster's inventory, and no standby is"
                            + " on timeline " + newTimeline + behind);
        }
        if (!onNewTimeline(primary.get(), newTimeline)) {
            return new Choice(
                    Optional.empty(),
                    "no node is on timeline " + newTimeline + ": the new primary " + newPrimary
                            + primary.get()
                                    .timeline()
                                    .map(t -> " reports timeline " + t)
                                    .orElse(" cannot be reached")
                            + behind);
        }
        return new Choice(
                Optional.of(newPrimary),
                "the new primary " + newPrimary + " (timeline "
                        + primary.get().timeline().orElseThrow() + "): no standby has followed timeline " + newTimeline
                        + " yet" + behind);
    }

    private static boolean onNewTimeline(Observed o, Timeline newTimeline) {
        return o.timeline().filter(t -> t.compareTo(newTimeline) >= 0).isPresent();
    }

    private static int rank(Observed o) {
        int i = o.roleHint().map(PREFERENCE::indexOf).orElse(-1);
        return i < 0 ? PREFERENCE.size() : i;
    }
}
