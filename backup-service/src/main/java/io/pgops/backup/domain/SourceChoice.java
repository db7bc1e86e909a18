package io.pgops.backup.domain;

import io.pgops.events.model.NodeName;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which node a backup is taken from, with the reason in words: the one asked for, else a standby by the
 * inventory's role hint (a backup reads every block; a standby spares the primary that load), else the primary,
 * else the first node by name. The role hint is only a hint: it is what the node was built as.
 */
public final class SourceChoice {
    private SourceChoice() {}

    /** A node of the inventory and its role hint ({@code primary}, {@code sync-standby}, …; empty if none). */
    public record Candidate(NodeName node, Optional<String> roleHint) {}

    /** The chosen node and why. */
    public record Choice(NodeName node, String reason) {}

    /** Refused: the node asked for is not in the cluster. */
    public static final class UnknownNode extends RuntimeException {
        public UnknownNode(String message) {
            super(message);
        }
    }

    public static Choice choose(List<Candidate> nodes, Optional<NodeName> requested) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("the cluster has no nodes");
        }
        if (requested.isPresent()) {
            NodeName n = requested.get();
            if (nodes.stream().noneMatch(c -> c.node().equals(n))) {
                throw new UnknownNode("node " + n + " is not a node of this cluster; its nodes are "
                        + nodes.stream().map(c -> c.node().value()).sorted().toList());
            }
            return new Choice(n, "node " + n + " as requested");
        }
        List<Candidate> sorted = nodes.stream()
                .sorted(Comparator.comparing(c -> c.node().value()))
                .toList();
        for (String hint : List.of("async-standby", "sync-standby", "standby")) {
            Optional<Candidate> c = sorted.stream()
                    .filter(x -> x.roleHint().filter(hint::equals).isPresent())
                    .findFirst();
            if (c.isPresent()) {
                return new Choice(
                        c.get().node(),
                        "standby " + c.get().node() + " (role hint " + hint
                                + "): a backup from a standby spares the primary");
            }
        }
        Optional<Candidate> primary = sorted.stream()
                .filter(x -> x.roleHint().filter("primary"::equals).isPresent())
                .findFirst();
        return primary.map(c -> new Choice(c.node(), "primary " + c.node() + ": no node is hinted as a standby"))
                .orElseGet(() -> new Choice(
                        sorted.getFirst().node(),
                        "first node " + sorted.getFirst().node() + ": no role hints"));
    }
}
