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
 * <p>In synchronous {@code strict} mode the candidate is a standby the committed topology records as
 * synchronous: the old primary cannot acknowledge a commit without it, so promoting it loses no acknowledged
 * commit (and needs no wait for the old primary's lease, see {@link LeaseWait}). Otherwise (asynchronous, {@code
 * on}, or strict without a recorded synchronous standby) the reachable standby with the most WAL received within
 * {@code maximum-lag-on-failover} of the old primary's last known position (or of the most any standby
 * received), honouring {@code nofailover} and priority; the promotion then waits out the old primary's lease.
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
     * @param maximumLagBytes asynchronous mode: the most WAL a candidate may lack ({@code maximum-lag-on-failover})
     */
    public static Decision decide(
            CommandRules.Snapshot s,
            SyncPlan.Mode mode,
            List<NodeName> recordedSync,
            Duration sinceLastChange,
            Duration cooldown,
            long maximumLagBytes,
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
        boolean sync = mode == SyncPlan.Mode.STRICT && !recordedSync.isEmpty();
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
        // in asynchronous mode measured against the last position known of the old primary, or the most any
        // standby received, whichever is further
        Lsn primaryLsn = Optional.ofNullable(last)
                .flatMap(t -> t.member(s.target()))
                .map(Member::lsn)
                .orElse(Lsn.ZERO);
        for (MemberState m : standbys) {
            if (m.reachable() && m.receivedLsn().compareTo(primaryLsn) > 0) {
                primaryLsn = m.receivedLsn();
            }
        }
        Timeline tl = last == null ? Timeline.of(1) : last.timeline();
        CandidateSelection.Decision d = CandidateSelection.choose(
                standbys, primaryLsn, tl, new FailoverPolicy(sync, maximumLagBytes), Optional.empty(), false);
        if (d.action() == CandidateSelection.Decision.Action.REFUSE) {
            return new Hold(
                    Refusal.NO_ELIGIBLE_CANDIDATE, s.target() + " is lost (" + lostBecause + "); " + d.reason());
        }
        return new Promote(d.candidate(), s.target() + " is lost (" + lostBecause + "); " + d.reason());
    }
}
