package io.pgops.replication.domain;

import io.pgops.events.OperatorCommand;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Role;
import io.pgops.events.model.Term;
import io.pgops.events.model.Timeline;
import io.pgops.events.replication.LeadershipChange;
import io.pgops.events.replication.Member;
import io.pgops.events.replication.PauseRequested;
import io.pgops.events.replication.PromoteRequested;
import io.pgops.events.replication.ReinitRequested;
import io.pgops.events.replication.ResumeRequested;
import io.pgops.events.replication.ScheduledSwitchover;
import io.pgops.events.replication.SwitchoverCancellationRequested;
import io.pgops.events.replication.SwitchoverRequested;
import io.pgops.events.replication.TopologyChanged;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an operator's command may do to a cluster: one set of rules, which the REST layer applies to the
 * committed topology before it publishes (so a command that cannot apply gets its problem at once) and
 * the coordinator applies again, with the live reports, when it decides. Pure: a snapshot and a command
 * in, a verdict with the sentence that explains it out.
 */
public final class CommandRules {
    /** A command older than this when its coordinator reads it is refused: it was meant for another moment. */
    public static final Duration COMMAND_EXPIRY = Duration.ofMinutes(5);
    /** A switchover may be scheduled at most this far ahead. */
    public static final Duration SCHEDULE_LIMIT = Duration.ofDays(30);
    /** A switchover scheduled less than this ahead runs now. */
    public static final Duration SCHEDULE_SLACK = Duration.ofSeconds(5);

    private CommandRules() {}

    /**
     * The cluster as the rules see it.
     *
     * @param last the committed topology (null before the first one)
     * @param nodes the inventory's nodes
     * @param live the agents' reports: present for the coordinator; empty for the REST layer, which then
     *     judges only what the committed facts decide
     */
    public record Snapshot(
            ClusterId cluster,
            Term term,
            NodeName target,
            boolean paused,
            ScheduledSwitchover scheduled,
            TopologyChanged last,
            List<NodeSpec> nodes,
            Optional<ClusterState> live) {

        /** The REST layer's view: the committed topology and the inventory, nothing live. */
        public static Snapshot committed(TopologyChanged t, List<NodeSpec> nodes) {
            return new Snapshot(
                    t.cluster(),
                    t.term(),
                    t.targetPrimary(),
                    t.isPaused(),
                    t.scheduledSwitchover(),
                    t,
                    nodes,
                    Optional.empty());
        }

        Optional<NodeSpec> spec(NodeName n) {
            return nodes.stream().filter(s -> s.name().equals(n)).findFirst();
        }
    }

    /** The lag limits of candidate selection, bytes. */
    public record Limits(long maximumLagOnSwitchover, long maximumLagOnFailover) {}

    /** The outcome of the rules. */
    public sealed interface Verdict {
        /** The sentence an operator reads. */
        String sentence();
    }

    /** The command cannot apply. */
    public record Refuse(LeadershipChange kind, Refusal code, NodeName candidate, String sentence) implements Verdict {}

    /** The committed facts allow it; the rest is decided on live reports (REST layer only). */
    public record Accept(String sentence) implements Verdict {}

    /** A leadership change: fence {@code target}, promote {@code candidate}. */
    public record Change(LeadershipChange kind, NodeName candidate, boolean oldAlive, boolean force, String sentence)
            implements Verdict {}

    /** Hold a switchover until its time. */
    public record Schedule(ScheduledSwitchover switchover, String sentence) implements Verdict {}

    /** Drop the scheduled switchover. */
    public record Cancel(ScheduledSwitchover was, String sentence) implements Verdict {}

    /** Pause or resume the coordinator's repairs. */
    public record SetPaused(boolean paused, String sentence) implements Verdict {}

    /**
     * Rebuild a standby; {@code releaseSync}: it is the synchronous standby, so the primary stops waiting
     * for it first (commits must not wait for a standby that is being rebuilt).
     */
    public record Rebuild(NodeName node, boolean releaseSync, String sentence) implements Verdict {}

    /** Whether the coordinator decides {@code event} (else it is not a replication command). */
    public static boolean isCommand(Object event) {
        return event instanceof SwitchoverRequested
                || event instanceof PromoteRequested
                || event instanceof ReinitRequested
                || event instanceof SwitchoverCancellationRequested
                || event instanceof PauseRequested
                || event instanceof ResumeRequested;
    }

    /**
     * Judges {@code command}, sent at {@code sentAt} with id {@code commandId}, at {@code now}.
     */
    public static Verdict decide(
            Snapshot s, OperatorCommand command, Instant sentAt, String commandId, Instant now, Limits limits) {
        if (sentAt.isBefore(now.minus(COMMAND_EXPIRY))) {
            LeadershipChange kind =
                    command instanceof SwitchoverRequested ? LeadershipChange.SWITCHOVER : LeadershipChange.MANUAL;
            return new Refuse(kind, Refusal.EXPIRED, null, "the command is older than " + COMMAND_EXPIRY);
        }
        return switch (command) {
            case SwitchoverRequested sw -> switchover(s, sw, commandId, now, limits);
            case PromoteRequested p -> promote(s, p, limits);
            case ReinitRequested r -> reinit(s, r);
            case SwitchoverCancellationRequested c ->
                s.scheduled() == null
                        ? new Refuse(
                                LeadershipChange.SWITCHOVER,
                                Refusal.NOTHING_SCHEDULED,
                                null,
                                "no switchover is scheduled for " + s.cluster())
                        : new Cancel(
                                s.scheduled(),
                                "scheduled switchover of " + s.scheduled().at() + " cancelled by " + c.principal()
                                        + ": " + c.reason());
            case PauseRequested p -> new SetPaused(true, "paused by " + p.principal() + ": " + p.reason());
            case ResumeRequested p -> new SetPaused(false, "resumed by " + p.principal() + ": " + p.reason());
            default -> throw new IllegalArgumentException(command.getClass().getSimpleName() + " is not a command");
        };
    }

    private static Verdict switchover(
            Snapshot s, SwitchoverRequested sw, String commandId, Instant now, Limits limits) {
        LeadershipChange kind = LeadershipChange.SWITCHOVER;
        if (s.paused()) {
            return new Refuse(kind, Refusal.PAUSED, sw.to(), s.cluster() + " is paused: resume it before a switchover");
        }
        boolean later = sw.scheduledAt() != null && sw.scheduledAt().isAfter(now.plus(SCHEDULE_SLACK));
        if (later && sw.scheduledAt().isAfter(now.plus(SCHEDULE_LIMIT))) {
            return new Refuse(
                    kind, Refusal.TOO_FAR_AHEAD, sw.to(), "a switchover can be scheduled at most 30 days ahead");
        }
        if (later && s.scheduled() != null) {
            return new Refuse(
                    kind,
                    Refusal.ALREADY_SCHEDULED,
                    sw.to(),
                    "a switchover is already scheduled at " + s.scheduled().at() + " by "
                            + s.scheduled().principal() + "; cancel it first");
        }
        if (sw.to() != null) {
            Optional<Refuse> r = promotable(s, kind, sw.to());
            if (r.isPresent()) {
                return r.get();
            }
            if (sw.to().equals(s.target())) {
                return new Refuse(
                        kind, Refusal.ALREADY_PRIMARY, sw.to(), sw.to() + " is the primary of " + s.cluster());
            }
        }
        if (sw.from() != null && !sw.from().equals(s.target())) {
            return new Refuse(
                    kind, Refusal.NOT_THE_PRIMARY, sw.to(), sw.from() + " is not the primary; " + s.target() + " is");
        }
        if (later) {
            return new Schedule(
                    new ScheduledSwitchover(sw.scheduledAt(), sw.to(), sw.principal(), sw.reason(), commandId),
                    "switchover" + (sw.to() == null ? "" : " to " + sw.to()) + " scheduled at " + sw.scheduledAt()
                            + " by " + sw.principal() + ": " + sw.reason());
        }
        if (s.live().isEmpty()) {
            return new Accept("switchover accepted");
        }
        ClusterState st = s.live().get();
        Optional<AgentReport> pr = st.report(s.target()).filter(AgentReport::writable);
        if (pr.isEmpty()) {
            return new Refuse(
                    kind,
                    Refusal.PRIMARY_NOT_RUNNING,
                    sw.to(),
                    "the primary " + s.target() + " is not running as a primary");
        }
        CandidateSelection.Decision d = CandidateSelection.choose(
                standbys(s, st, true, pr),
                pr.get().currentLsn(),
                pr.get().timeline(),
                new FailoverPolicy(false, limits.maximumLagOnSwitchover()),
                Optional.ofNullable(sw.to()),
                false);
        if (d.action() == CandidateSelection.Decision.Action.REFUSE) {
            return new Refuse(kind, Refusal.NO_ELIGIBLE_CANDIDATE, sw.to(), d.reason());
        }
        return new Change(kind, d.candidate(), true, false, d.reason());
    }

    private static Verdict promote(Snapshot s, PromoteRequested p, Limits limits) {
        LeadershipChange kind = LeadershipChange.MANUAL;
        if (p.term() != null && !p.term().equals(s.term())) {
            return new Refuse(
                    kind,
                    Refusal.STALE_TERM,
                    p.node(),
                    "issued against term " + p.term().value() + ", but " + s.cluster() + " is at term "
                            + s.term().value() + " now: look at the cluster again and re-issue");
        }
        Optional<Refuse> r = promotable(s, kind, p.node());
        if (r.isPresent()) {
            return r.get();
        }
        Optional<AgentReport> pr = s.live().flatMap(st -> st.report(s.target()).filter(AgentReport::writable));
        boolean isPrimary = p.node().equals(s.target())
                && (s.live().isPresent()
                        ? pr.isPresent()
                        : s.last() != null
                                && s.last()
                                        .member(p.node())
                                        .map(m -> m.role() == Role.PRIMARY)
                                        .orElse(false));
        if (isPrimary) {
            return new Refuse(kind, Refusal.ALREADY_PRIMARY, p.node(), p.node() + " is the primary of " + s.cluster());
        }
        if (s.live().isEmpty()) {
            return new Accept("promotion accepted");
        }
        ClusterState st = s.live().get();
        boolean alive = pr.isPresent();
        TopologyChanged last = s.last();
        Optional<Member> lastPrimary = Optional.ofNullable(last).flatMap(t -> t.member(s.target()));
        boolean syncMode = alive
                ? !pr.get().synchronousStandbyNames().isBlank()
                : last != null && last.members().stream().anyMatch(Member::sync);
        Lsn primaryLsn =
                alive ? pr.get().currentLsn() : lastPrimary.map(Member::lsn).orElse(null);
        if (primaryLsn == null) { // unknown: the most any standby holds is the least the primary had
            primaryLsn = st.reports().values().stream()
                    .map(AgentReport::walPosition)
                    .flatMap(Optional::stream)
                    .max(Lsn::compareTo)
                    .orElse(Lsn.ZERO);
        }
        Timeline tl = alive ? pr.get().timeline() : last == null ? Timeline.of(1) : last.timeline();
        CandidateSelection.Decision d = CandidateSelection.choose(
                standbys(s, st, false, pr),
                primaryLsn,
                tl,
                new FailoverPolicy(syncMode, limits.maximumLagOnFailover()),
                Optional.of(p.node()),
                p.force());
        if (d.action() == CandidateSelection.Decision.Action.REFUSE) {
            return new Refuse(kind, Refusal.CANDIDATE_NOT_SAFE, p.node(), d.reason());
        }
        return new Change(
                kind, p.node(), alive, p.force(), d.reason() + (p.force() ? " (forced by " + p.principal() + ")" : ""));
    }

    private static Verdict reinit(Snapshot s, ReinitRequested r) {
        LeadershipChange kind = LeadershipChange.MANUAL;
        if (s.spec(r.node()).isEmpty()) {
            return new Refuse(kind, Refusal.UNKNOWN_NODE, r.node(), r.node() + " is not a node of " + s.cluster());
        }
        if (r.node().equals(s.target())) {
            return new Refuse(
                    kind, Refusal.IS_PRIMARY, r.node(), r.node() + " is the primary; only a standby can be rebuilt");
        }
        if (s.live().isEmpty()) {
            return new Accept("rebuild accepted");
        }
        boolean releaseSync = s.live()
                .get()
                .report(s.target())
                .filter(AgentReport::writable)
                .flatMap(p -> p.replica(r.node()))
                .map(AgentReport.Replica::isSync)
                .orElse(false);
        return new Rebuild(r.node(), releaseSync, r.node() + " rebuilt from " + s.target());
    }

    /** The inventory's own refusals: an unknown node, or one tagged never to be promoted. */
    private static Optional<Refuse> promotable(Snapshot s, LeadershipChange kind, NodeName n) {
        Optional<NodeSpec> spec = s.spec(n);
        if (spec.isEmpty()) {
            return Optional.of(new Refuse(kind, Refusal.UNKNOWN_NODE, n, n + " is not a node of " + s.cluster()));
        }
        if (spec.get().nofailover() || spec.get().priority() <= 0) {
            return Optional.of(new Refuse(
                    kind, Refusal.NOT_PROMOTABLE, n, n + " is tagged nofailover (or priority 0) in the inventory"));
        }
        return Optional.empty();
    }

    /** The standbys as candidate selection sees them; {@code streamingOnly}: a switchover needs streaming. */
    static List<MemberState> standbys(
            Snapshot s, ClusterState st, boolean streamingOnly, Optional<AgentReport> primaryReport) {
        List<MemberState> list = new ArrayList<>();
        for (NodeSpec n : st.nodes()) {
            if (n.name().equals(s.target())) {
                continue;
            }
            Optional<AgentReport> r = st.report(n.name());
            boolean reachable = r.map(a -> a.running() && a.inRecovery() && (!streamingOnly || a.streaming()))
                    .orElse(false);
            list.add(new MemberState(
                    n.name(),
                    reachable,
                    r.flatMap(AgentReport::walPosition).orElse(Lsn.ZERO),
                    r.map(AgentReport::timeline).orElse(Timeline.of(1)),
                    // with the primary alive, what it reports now; else what the last topology said
                    primaryReport.isPresent()
                            ? primaryReport
                                    .get()
                                    .replica(n.name())
                                    .map(AgentReport.Replica::isSync)
                                    .orElse(false)
                            : s.last() != null
                                    && s.last()
                                            .member(n.name())
                                            .map(Member::sync)
                                            .orElse(false),
                    n.nofailover(),
                    n.priority(),
                    reachable
                            ? null
                            : st.whyNotAnswering(n.name())
                                    .orElse(streamingOnly ? "it does not stream" : "it is not a standby")));
        }
        return list;
    }

    /**
     * Whether {@code node} is the synchronous standby: as the running primary reports now, else as the
     * last committed topology recorded.
     */
    public static boolean wasSync(TopologyChanged last, Optional<AgentReport> primary, NodeName node) {
        return primary.filter(AgentReport::running)
                .flatMap(p -> p.replica(node))
                .map(AgentReport.Replica::isSync)
                .orElseGet(() ->
                        last != null && last.member(node).map(Member::sync).orElse(false));
    }
}
