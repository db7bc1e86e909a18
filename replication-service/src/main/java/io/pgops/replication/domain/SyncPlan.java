package io.pgops.replication.domain;

import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How the synchronous standbys change while nobody changes roles. The topology records which standbys
 * hold every acknowledged commit (a failover promotes only one of them), so it is recorded before it is
 * applied, and a change of member adds the new one before it removes the old:
 *
 * <ol>
 *   <li>a recorded member stays named while it is away (commits wait for it, as synchronous replication
 *       promises) until it has been away for the patience; a primary restarted in place therefore keeps
 *       its synchronous standby, which reconnects;
 *   <li>then a streaming standby replaces it: the union old ∪ new is recorded, then applied (commits wait
 *       for every member of it that streams); once the new one has flushed past the primary's position of
 *       that moment, the old is dropped from the record, then from the setting;
 *   <li>with none to replace it: in {@code strict} mode it stays named; in {@code degradable} mode the
 *       empty set is recorded first, then applied (commits no longer wait, and the topology says so).
 * </ol>
 *
 * Pure: the recorded set, the primary's report and the standbys in, the next step out.
 */
public final class SyncPlan {
    private SyncPlan() {}

    /** What may happen when no synchronous standby can be kept. */
    public enum Mode {
        /** Commits wait for the named standby however long it is away, unless another replaces it. */
        STRICT,
        /** After the patience with no replacement, the empty set is recorded and commits no longer wait. */
        DEGRADABLE,
        /** No synchronous standby: commits are acknowledged by the primary alone. */
        OFF;

        /** {@code off}, {@code on} (or {@code degradable}), {@code strict}, as an inventory writes it. */
        public static Mode parse(String text) {
            return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "off" -> OFF;
                case "on", "degradable" -> DEGRADABLE;
                case "strict" -> STRICT;
                default ->
                    throw new IllegalArgumentException(
                            "synchronous-mode '" + text + "': expected one of off, on, strict");
            };
        }
    }

    /**
     * The next step.
     *
     * @param record the set to record in the topology first; equal to the recorded one when unchanged
     * @param apply the {@code synchronous_standby_names} to set on the primary after recording; null when
     *     the primary's setting is right
     * @param switchLsn the primary's position when a union was applied: the new members must flush past it
     *     before the old one is dropped; null when no replacement is under way
     * @param reason why, in words
     */
    public record Step(List<NodeName> record, String apply, Lsn switchLsn, String reason) {
        public boolean changesRecord(List<NodeName> recorded) {
            return !Set.copyOf(record).equals(Set.copyOf(recorded));
        }
    }

    /**
     * @param recorded the synchronous standbys the committed topology names
     * @param primary the running primary's report (its setting, its replicas' states and flush positions)
     * @param standbys every standby of the cluster: name and {@code nosync}; {@code excluded} ones (about to
     *     be rebuilt) are treated as leaving
     * @param awayLong recorded members that have not streamed for longer than the patience
     * @param switchLsn the switch position of a replacement under way, else null
     */
    public static Optional<Step> next(
            List<NodeName> recorded,
            AgentReport primary,
            List<NodeSpec> standbys,
            Set<NodeName> excluded,
            Set<NodeName> awayLong,
            int count,
            Mode mode,
            Lsn switchLsn) {
        List<SyncStandbys.Standby> streaming = new ArrayList<>();
        for (NodeSpec n : standbys) {
            Optional<AgentReport.Replica> r = primary.replica(n.name());
            if (r.map(x -> "streaming".equals(x.state())).orElse(false)
                    && !n.nosync()
                    && !excluded.contains(n.name())) {
                Lsn flush = r.get().flushLsn();
                long lag = flush == null || primary.currentLsn() == null
                        ? Long.MAX_VALUE
                        : Math.max(0, primary.currentLsn().bytesSince(flush));
                streaming.add(new SyncStandbys.Standby(n.name(), true, recorded.contains(n.name()), lag, false));
            }
        }
        // who can acknowledge now, whatever its tags: an old member keeps acknowledging until it is dropped
        Set<NodeName> streamingNow = new LinkedHashSet<>();
        for (AgentReport.Replica r : primary.replicas()) {
            if ("streaming".equals(r.state())) {
                streamingNow.add(NodeName.of(r.name()));
            }
        }
        Set<NodeName> names = new LinkedHashSet<>();
        standbys.forEach(n -> names.add(n.name()));
        // who stays: recorded, still in the cluster, not nosync, not leaving, not away for long
        List<NodeName> keep = new ArrayList<>();
        for (NodeName n : recorded) {
            boolean eligible = names.contains(n)
                    && !excluded.contains(n)
                    && standbys.stream().noneMatch(s -> s.name().equals(n) && s.nosync());
            if (eligible && !awayLong.contains(n)) {
                keep.add(n);
            }
        }
        if (keep.size() > count) { // fewer wanted now: keep the most caught up
            keep = new ArrayList<>(SyncStandbys.choose(
                            streaming.stream()
                                    .filter(s -> recorded.contains(s.name()))
                                    .toList(),
                            count)
                    .synchronous());
        }
        if (mode == Mode.OFF) {
            keep = List.of();
        }
        List<NodeName> desired = new ArrayList<>(keep);
        for (NodeName n : SyncStandbys.choose(
                        streaming.stream()
                                .filter(s -> mode != Mode.OFF)
                                .filter(s -> !desired.contains(s.name()))
                                .toList(),
                        Math.max(1, count))
                .synchronous()) {
            if (desired.size() < count) {
                desired.add(n);
            }
        }
        String why;
        if (desired.isEmpty() && !recorded.isEmpty() && mode == Mode.STRICT && excluded.isEmpty()) {
            // nothing can replace the named ones: they stay named and commits wait for them
            desired.addAll(recorded.stream().filter(names::contains).toList());
            why = "no streaming standby can replace " + recorded + ": it stays synchronous, commits wait for it";
        } else if (mode == Mode.OFF) {
            why = "synchronous replication is off for this cluster: commits are local only";
        } else if (desired.isEmpty()) {
            why = recorded.isEmpty()
                    ? "no streaming standby without nosync: commits are local only"
                    : "degraded: " + recorded + " away and no streaming standby can replace it; commits no longer"
                            + " wait for a standby";
        } else {
            why = "synchronous: " + desired;
        }
        List<NodeName> added =
                desired.stream().filter(n -> !recorded.contains(n)).toList();
        List<NodeName> removed =
                recorded.stream().filter(n -> !desired.contains(n)).toList();
        if (!added.isEmpty()) {
            // add before remove: record old ∪ new, then apply it (every member of it that streams acknowledges)
            List<NodeName> union = new ArrayList<>(recorded);
            union.addAll(added);
            List<NodeName> acking = union.stream()
                    .filter(n -> desired.contains(n) || streamingNow.contains(n))
                    .toList();
            return Optional.of(new Step(
                    union,
                    value(acking),
                    primary.currentLsn(),
                    "adding " + added + (removed.isEmpty() ? "" : " before removing " + removed) + "; " + why));
        }
        if (!removed.isEmpty()) {
            Lsn at = switchLsn == null ? primary.currentLsn() : switchLsn;
            List<NodeName> behind = desired.stream()
                    .filter(n -> primary.replica(n)
                            .map(AgentReport.Replica::flushLsn)
                            .map(f -> at != null && f.compareTo(at) < 0)
                            .orElse(true))
                    .toList();
            if (!behind.isEmpty()) {
                // not yet: the remaining ones must hold everything acknowledged before the change
                String expected = value(recorded.stream()
                        .filter(n -> desired.contains(n) || streamingNow.contains(n))
                        .toList());
                return Optional.of(new Step(
                        recorded,
                        expected.equals(primary.synchronousStandbyNames()) ? null : expected,
                        at,
                        "removing " + removed + " once " + behind + " flushed past " + at));
            }
            return Optional.of(new Step(desired, value(desired), null, "removing " + removed + "; " + why));
        }
        String expected = value(desired);
        if (!expected.equals(primary.synchronousStandbyNames())) {
            return Optional.of(
                    new Step(recorded, expected, null, "the primary's setting differs from the record; " + why));
        }
        return Optional.empty();
    }

    /** The setting naming exactly {@code members}, every one of them synchronous. */
    public static String value(List<NodeName> members) {
        if (members.isEmpty()) {
            return "";
        }
        List<NodeName> sorted = members.stream().distinct().toList();
        return "FIRST " + sorted.size() + " ("
                + String.join(
                        ", ", sorted.stream().map(x -> "\"" + x.value() + "\"").toList()) + ")";
    }

    /** The recorded set as a previous topology's members say. */
    public static List<NodeName> recordedIn(List<io.pgops.events.replication.Member> members) {
        return members.stream()
                .filter(io.pgops.events.replication.Member::sync)
                .map(io.pgops.events.replication.Member::name)
                .sorted(Comparator.comparing(NodeName::value))
                .toList();
    }
}
