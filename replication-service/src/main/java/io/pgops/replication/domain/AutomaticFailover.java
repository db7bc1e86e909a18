package io.pgops.replication.domain;

import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Timeline;
import io.pgops.events.replication.Member;
import io.pgops.events.replication.TopologyChanged;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether the owner fails over by itself once the primary is lost, and to whom. Pure.
 *
 * <p>Built so far: synchronous {@code strict} mode, where the candidate is a standby the committed topology
 * records as synchronous. The old primary cannot acknowledge a commit without its synchronous standby, so
 * promoting that standby loses no acknowledged commit and needs no wait for the old primary's lease.
 * Asynchronous and {@code degradable} clusters are refused with that reason until the primary's lease
 * exists (an old primary that is only cut off could otherwise keep acknowledging commits).
 */
public final class AutomaticFailover {
    private AutomaticFailover() {}

    public sealed interface Decision {
        String reason();
    }

    /** Promote {@code candidate}. */
    public record Promote(NodeName candidate, String reason) implements Decision {}

    /** Nothing is promoted, for this reason. */
    public record Hold(Refusal code, String reason) implements Decision {}

    /**
     * @param sinceLastChange how long ago this cluster's last leadership change ended; null if none seen
     */
    public static Decision decide(
            CommandRules.Snapshot s,
            SyncPlan.Mode mode,
            List<NodeName> recordedSync,
            Duration sinceLastChange,
            Duration cooldown,
            String lostBecause) {
        if (s.paused()) {
            return new Hold(
                    Refusal.PAUSED,
                    s.target() + " is lost (" + lostBecause + ") but " + s.cluster()
                            + " is paused: no automatic failover");
        }
        if (sinceLastChange != null && sinceLastChange.compareTo(cooldown) < 0) {
            return new Hold(
                    Refusal.COOLDOWN,
                    s.target() + " is lost (" + lostBecause + ") but the last change ended "
                            + sinceLastChange.toMillis() + " ms ago, within the cooldown " + cooldown);
        }
        if (mode != SyncPlan.Mode.STRICT || recordedSync.isEmpty()) {
            return new Hold(
                    Refusal.NEEDS_LEASE,
                    s.target() + " is lost (" + lostBecause + ") but " + s.cluster()
                            + (recordedSync.isEmpty()
                                    ? " records no synchronous standby"
                                    : " is not in strict synchronous mode")
                            + ": without a lease on the old primary nothing proves it stopped acknowledging commits, so"
                            + " no automatic failover (promote by command)");
        }
        ClusterState st = s.live().orElseThrow();
        TopologyChanged last = s.last();
        List<MemberState> standbys = new ArrayList<>();
        for (NodeSpec n : st.nodes()) {
            if (n.name().equals(s.target())) {
                continue;
            }
            Optional<AgentReport> r = st.report(n.name());
            boolean reachable = r.map(a -> a.running() && a.inRecovery()).orElse(false);
            standbys.add(new MemberState(
                    n.name(),
                    reachable,
                    r.flatMap(AgentReport::walPosition).orElse(Lsn.ZERO),
                    r.map(AgentReport::timeline).orElse(Timeline.of(1)),
                    recordedSync.contains(n.name()),
                    n.nofailover(),
                    n.priority(),
                    reachable ? null : st.whyNotAnswering(n.name()).orElse("it is not a standby")));
        }
        Lsn primaryLsn = Optional.ofNullable(last)
                .flatMap(t -> t.member(s.target()))
                .map(Member::lsn)
                .orElse(Lsn.ZERO);
        Timeline tl = last == null ? Timeline.of(1) : last.timeline();
        CandidateSelection.Decision d = CandidateSelection.choose(
                standbys, primaryLsn, tl, new FailoverPolicy(true, 0), Optional.empty(), false);
        if (d.action() == CandidateSelection.Decision.Action.REFUSE) {
            return new Hold(
                    Refusal.NO_ELIGIBLE_CANDIDATE, s.target() + " is lost (" + lostBecause + "); " + d.reason());
        }
        return new Promote(d.candidate(), s.target() + " is lost (" + lostBecause + "); " + d.reason());
    }
}
