package io.pgops.replication.domain;

import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Timeline;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Whom to promote when the primary is gone, or whether a requested promotion is safe. Safety before
 * speed: a node that may lack an acknowledged commit is never chosen by itself; an operator can
 * override the lag rules with {@code force} (the command is audited with its principal), never the
 * {@code nofailover} tag, a priority of 0, an unreachable node or a foreign timeline.
 */
public final class CandidateSelection {
    private CandidateSelection() {}

    /**
     * @param action PROMOTE (with the candidate) or REFUSE
     * @param candidate the node to promote; null when refused
     * @param reason why, in words, with the numbers that decided it
     */
    public record Decision(Action action, NodeName candidate, String reason) {
        public enum Action {
            PROMOTE,
            REFUSE
        }

        static Decision promote(NodeName n, String reason) {
            return new Decision(Action.PROMOTE, n, reason);
        }

        static Decision refuse(String reason) {
            return new Decision(Action.REFUSE, null, reason);
        }
    }

    /**
     * Chooses among {@code standbys} (automatic failover), or judges {@code requested} (an operator's
     * promote) when present.
     *
     * @param primaryLsn the last WAL position known of the old primary
     * @param primaryTimeline the old primary's timeline
     */
    public static Decision choose(
            List<MemberState> standbys,
            Lsn primaryLsn,
            Timeline primaryTimeline,
            FailoverPolicy policy,
            Optional<NodeName> requested,
            boolean force) {
        if (requested.isPresent()) {
            Optional<MemberState> m = standbys.stream()
                    .filter(s -> s.name().equals(requested.get()))
                    .findFirst();
            if (m.isEmpty()) {
                return Decision.refuse(requested.get() + " is not a standby of this cluster");
            }
            Optional<String> hard = neverPromotable(m.get(), primaryTimeline);
            if (hard.isPresent()) {
                return Decision.refuse(hard.get());
            }
            Optional<String> unsafe = mayLackCommits(m.get(), primaryLsn, policy);
            if (unsafe.isEmpty()) {
                return Decision.promote(m.get().name(), m.get().name() + " holds every acknowledged commit");
            }
            return force
                    ? Decision.promote(m.get().name(), "forced by the operator although " + unsafe.get())
                    : Decision.refuse(unsafe.get() + "; use force to promote it anyway");
        }
        List<String> excluded = new ArrayList<>();
        List<MemberState> safe = new ArrayList<>();
        for (MemberState s : standbys) {
            Optional<String> why = neverPromotable(s, primaryTimeline).or(() -> mayLackCommits(s, primaryLsn, policy));
            if (why.isPresent()) {
                excluded.add(why.get());
            } else {
                safe.add(s);
            }
        }
        if (safe.isEmpty()) {
            return Decision.refuse("no standby is safe to promote: "
                    + (excluded.isEmpty() ? "the cluster has no standby" : String.join("; ", excluded)));
        }
        MemberState best = safe.stream()
                .sorted(Comparator.comparing(MemberState::receivedLsn)
                        .reversed()
                        .thenComparing(
                                Comparator.comparingInt(MemberState::priority).reversed())
                        .thenComparing(s -> s.name().value()))
                .findFirst()
                .orElseThrow();
        return Decision.promote(
                best.name(),
                best.name() + " holds every acknowledged commit and has the most WAL (" + best.receivedLsn() + ")"
                        + (excluded.isEmpty() ? "" : "; passed over: " + String.join("; ", excluded)));
    }

    private static Optional<String> neverPromotable(MemberState s, Timeline primaryTimeline) {
        if (!s.reachable()) {
            return Optional.of(s.name() + " is unreachable"
                    + (s.notReachableBecause() == null ? "" : " (" + s.notReachableBecause() + ")"));
        }
        if (s.nofailover()) {
            return Optional.of(s.name() + " is tagged nofailover");
        }
        if (s.priority() <= 0) {
            return Optional.of(s.name() + " has failover priority 0");
        }
        if (!s.timeline().equals(primaryTimeline)) {
            return Optional.of(s.name() + " follows timeline " + s.timeline().value() + ", not the primary's "
                    + primaryTimeline.value());
        }
        return Optional.empty();
    }

    private static Optional<String> mayLackCommits(MemberState s, Lsn primaryLsn, FailoverPolicy policy) {
        if (policy.synchronousMode()) {
            return s.wasSync()
                    ? Optional.empty()
                    : Optional.of(s.name() + " was not the synchronous standby, so it may lack acknowledged commits");
        }
        long lag = Math.max(0, primaryLsn.bytesSince(s.receivedLsn()));
        return lag > policy.maximumLagOnFailoverBytes()
                ? Optional.of(s.name() + " lags " + lag + " bytes behind the last known primary position " + primaryLsn
                        + ", more than maximum-lag-on-failover " + policy.maximumLagOnFailoverBytes())
                : Optional.empty();
    }
}
