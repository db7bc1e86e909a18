package io.pgops.replication.domain;

import io.pgops.events.model.NodeName;
import java.util.Comparator;
import java.util.List;

/**
 * Which standbys the primary names in {@code synchronous_standby_names}: the streaming ones not
 * tagged {@code nosync}, the current sync standby first (so a healthy one keeps its role and no
 * commit waits on a newcomer), then the most caught up. The value keeps {@code count} of them
 * synchronous ({@code FIRST n (…)}) and names only those: PostgreSQL must not promote a "potential"
 * standby to synchronous on its own, because the topology, which decides who may be promoted without
 * losing an acknowledged commit, would not know it. A replacement is chosen here and recorded first.
 */
public final class SyncStandbys {
    private SyncStandbys() {}

    /**
     * A standby as this decision sees it.
     *
     * @param streaming its WAL receiver streams from the primary now
     * @param currentlySync the primary reports it as {@code sync} now
     * @param flushLagBytes how far its flushed WAL is behind the primary, bytes
     * @param nosync the inventory tag: never a synchronous standby
     */
    public record Standby(
            NodeName name, boolean streaming, boolean currentlySync, long flushLagBytes, boolean nosync) {}

    /**
     * @param value the setting, e.g. {@code FIRST 1 ("node2")}; empty when no standby qualifies
     *     (then commits are not held hostage by a standby that cannot acknowledge them)
     * @param synchronous the standbys that will be synchronous
     * @param reason why, in words
     */
    public record Choice(String value, List<NodeName> synchronous, String reason) {}

    public static Choice choose(List<Standby> standbys, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("the synchronous standby count must be at least 1");
        }
        List<Standby> eligible = standbys.stream()
                .filter(s -> s.streaming() && !s.nosync())
                .sorted(Comparator.comparing(Standby::currentlySync)
                        .reversed()
                        .thenComparingLong(Standby::flushLagBytes)
                        .thenComparing(s -> s.name().value()))
                .toList();
        if (eligible.isEmpty()) {
            return new Choice("", List.of(), "no streaming standby without nosync: commits are local only");
        }
        List<NodeName> order = eligible.stream().map(Standby::name).toList();
        int n = Math.min(count, order.size());
        List<NodeName> sync = order.subList(0, n);
        String value = "FIRST " + n + " ("
                + String.join(
                        ", ", sync.stream().map(x -> "\"" + x.value() + "\"").toList()) + ")";
        return new Choice(
                value,
                sync,
                "synchronous: " + sync + (n < count ? " (only " + n + " of " + count + " wanted are streaming)" : "")
                        + (order.size() > n ? "; asynchronous: " + order.subList(n, order.size()) : ""));
    }
}
