package io.pgops.replication.service;

import io.pgops.events.PgopsEvent;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Term;
import io.pgops.events.model.Timeline;
import io.pgops.events.replication.FailoverCompleted;
import io.pgops.events.replication.FailoverRefused;
import io.pgops.events.replication.FailoverStarted;
import io.pgops.events.replication.LeadershipChange;
import io.pgops.events.replication.Member;
import io.pgops.events.replication.NodeFenced;
import io.pgops.events.replication.NodePromoted;
import io.pgops.events.replication.StandbyRejoined;
import io.pgops.replication.domain.AgentReport;
import io.pgops.replication.domain.ClusterState;
import io.pgops.replication.domain.CommandRules;
import io.pgops.replication.domain.LeaseWait;
import io.pgops.replication.domain.NodeSpec;
import io.pgops.replication.domain.Reconcile;
import io.pgops.replication.domain.Refusal;
import io.pgops.replication.domain.RejoinOutcome;
import io.pgops.replication.domain.Slots;
import io.pgops.replication.domain.SyncPlan;
import io.pgops.replication.domain.SyncStandbys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Carries out one leadership change of a cluster, step by step, each step's outcome deciding the next:
 * prepare the candidate, commit the decision, fence the old primary, promote the candidate past what
 * the fence proved, rejoin the old primary. And finishes, at a takeover, a change a previous owner left
 * half done. Runs on the cluster's worker thread.
 */
final class ChangeRunner {
    private static final Logger LOG = Logger.getLogger(ChangeRunner.class);

    /**
     * What a change belongs to: the correlation id every event of it carries (the operator's command's, the
     * unfinished change's, or one minted for an automatic failover), and the text the {@code halt-at} test
     * hook looks for (the command's reason; null for none).
     */
    record Incident(String correlationId, String hookText) {}

    private final OwnedCluster o;
    private final Coordination c;
    /** The old primary's synchronous standbys, recorded again if the change is given back. */
    private List<NodeName> syncBefore = List.of();

    ChangeRunner(OwnedCluster o) {
        this.o = o;
        this.c = o.c;
    }

    /**
     * The leadership change itself. Preparation under the current term (the candidate holds a slot for
     * every other node, the other standbys cascade from it), then the decision (term + 1, target = the
     * candidate: from here the old primary's /primary answers 503 and HAProxy cuts it off), fence the old
     * primary (stop -m fast: its last WAL reaches the streaming standbys), promote the candidate once it
     * replayed past the old primary's shutdown checkpoint, then rejoin the old primary as its standby.
     */
    void change(
            Incident e,
            LeadershipChange kind,
            ClusterState st,
            NodeName cand,
            boolean oldAlive,
            boolean force,
            String why) {
        change(e, kind, st, cand, oldAlive, force, why, null);
    }

    /**
     * @param recordedFence the old primary's shutdown checkpoint as a previous coordinator recorded it in the
     *     topology before it died mid-change (the old primary is then not asked again); null otherwise
     */
    void change(
            Incident e,
            LeadershipChange kind,
            ClusterState st,
            NodeName cand,
            boolean oldAlive,
            boolean force,
            String why,
            Lsn recordedFence) {
        long t0 = System.nanoTime();
        o.pendingPromotion = null; // a new change decides afresh
        syncBefore = o.sync;
        NodeName old = o.target;
        Term current = o.term;
        // the old primary's last position the topology recorded before this change (its figure for lost WAL when
        // it cannot be asked any more)
        Lsn lastKnownOld = Optional.ofNullable(o.last)
                .flatMap(t -> t.member(old))
                .map(Member::lsn)
                .orElse(null);
        List<String> slots = st.nodes().stream()
                .map(NodeSpec::name)
                .filter(n -> !n.equals(cand))
                .map(Slots::of)
                .toList();
        try {
            c.agents().configure(o.cluster, cand, current, null, slots);
        } catch (AgentClient.AgentCallException ex) {
            o.refuse(
                    e.correlationId(),
                    kind,
                    cand,
                    Refusal.CANDIDATE_NOT_READY,
                    "could not prepare " + cand + ": " + ex.getMessage());
            return;
        }
        // an automatic failover that waits out the old lease anyway: the candidate first fetches the WAL another
        // standby has beyond it (acknowledged commits only that standby received survive)
        String fetched = kind == LeadershipChange.FAILOVER && c.syncMode(o.cluster) != SyncPlan.Mode.STRICT
                ? WalFetchStep.run(
                        c.agents(),
                        o.cluster,
                        st,
                        cand,
                        old,
                        current,
                        c.config().walFetchTimeout())
                : null;
        if (fetched != null) {
            why = why + "; " + fetched;
        }
        for (NodeSpec n : st.nodes()) {
            if (n.name().equals(cand) || n.name().equals(old)) {
                continue;
            }
            if (st.report(n.name()).map(r -> r.running() && r.inRecovery()).orElse(false)) {
                try {
                    c.agents().follow(o.cluster, n.name(), current, cand);
                } catch (AgentClient.AgentCallException ex) {
                    LOG.warnf("%s: %s could not cascade from %s yet: %s", o.cluster, n.name(), cand, ex.getMessage());
                }
            }
        }
        Optional<AgentReport> oldReport = st.report(old);
        Lsn oldLsn = oldReport
                .filter(AgentReport::writable)
                .map(AgentReport::currentLsn)
                .orElse(null);
        Lsn candLsn = st.report(cand).flatMap(AgentReport::walPosition).orElse(Lsn.ZERO);
        Timeline tl = oldReport
                .filter(AgentReport::writable)
                .map(AgentReport::timeline)
                .orElse(o.last == null ? Timeline.of(1) : o.last.timeline());
        Term term = current.next();
        o.term = term;
        o.moveTarget(cand); // from here the old primary is granted no lease
        o.publishTopology(
                st,
                kind + ": " + old + " → " + cand,
                e.correlationId(),
                List.of(new FailoverStarted(
                        o.cluster, term, kind, old, cand, oldLsn, candLsn, tl, why, OwnedCluster.now())));
        long tDecided = System.nanoTime();
        c.haltAfter("started", e.hookText());

        Lsn waitPast = null;
        NodeFenced fenced;
        if (oldAlive) {
            try {
                AgentClient.Fence f = c.agents().fence(o.cluster, old, term);
                waitPast = f.shutdownCheckpoint();
                if (waitPast == null && !force && !CommandRules.wasSync(o.last, oldReport, cand)) {
                    // no shutdown checkpoint proves what the candidate must replay, and it is not the sync
                    // standby that holds every acknowledged commit: promoting it could lose some
                    giveBack(
                            e,
                            kind,
                            old,
                            cand,
                            Refusal.FENCE_UNCLEAN,
                            old + " did not shut down cleanly (stop -m " + f.mode() + ", cluster state \""
                                    + f.clusterState() + "\") and " + cand
                                    + " is not the synchronous standby: nothing proves it has every"
                                    + " acknowledged commit");
                    return;
                }
                fenced = new NodeFenced(
                        o.cluster,
                        term,
                        old,
                        "shutdown",
                        true,
                        waitPast != null
                                ? "stopped with pg_ctl stop -m " + f.mode() + "; its shutdown checkpoint is at "
                                        + waitPast
                                : "stopped with pg_ctl stop -m " + f.mode() + " without a clean shutdown (cluster"
                                        + " state \"" + f.clusterState() + "\"): no checkpoint is proof; "
                                        + cand + (force ? " promoted as forced" : " is the synchronous standby"),
                        OwnedCluster.now());
            } catch (AgentClient.AgentCallException ex) {
                if (!force) {
                    giveBack(
                            e,
                            kind,
                            old,
                            cand,
                            Refusal.FENCING_FAILED,
                            "could not stop " + old + ": " + ex.getMessage());
                    return;
                }
                fenced = new NodeFenced(
                        o.cluster,
                        term,
                        old,
                        "traffic-cut",
                        false,
                        "could not stop it (" + ex.getMessage() + "); forced: HAProxy no longer routes to it",
                        OwnedCluster.now());
            }
        } else if (recordedFence != null) {
            waitPast = recordedFence;
            fenced = new NodeFenced(
                    o.cluster,
                    term,
                    old,
                    "shutdown",
                    true,
                    "stopped by the previous coordinator, which recorded its shutdown checkpoint " + recordedFence
                            + " in the topology; " + cand + " is promoted past it",
                    OwnedCluster.now());
        } else {
            boolean down = oldReport.map(AgentReport::stopped).orElse(false);
            String leaseEnd = awaitOldLease(old, down, cand);
            fenced = leaseEnd != null
                    ? new NodeFenced(
                            o.cluster,
                            term,
                            old,
                            "lease-expired",
                            false,
                            "unreachable; " + leaseEnd + ": its agent, if alive, has stopped PostgreSQL, and /primary"
                                    + " answers 503",
                            OwnedCluster.now())
                    : new NodeFenced(
                            o.cluster,
                            term,
                            old,
                            "traffic-cut",
                            down,
                            down
                                    ? "its agent reports PostgreSQL down; /primary answers 503 to the new topology"
                                    : "unreachable: its agent, if alive, answers 503 on /primary to the new topology, so"
                                            + " HAProxy routes nothing to it",
                            OwnedCluster.now());
        }
        if (force && !st.report(cand).map(AgentReport::streaming).orElse(false)) {
            waitPast = null; // forced: a standby that does not stream cannot catch up; what it lacks is lost
        }
        // recorded before the promotion: a successor that takes over from here knows what the candidate
        // must have replayed without asking the old primary's agent, and which standbys the new primary
        // names synchronous from its first write (st: no second look on the write pause)
        SyncStandbys.Choice newSync = c.syncMode(o.cluster) == SyncPlan.Mode.OFF
                ? new SyncStandbys.Choice("", List.of(), "synchronous replication is off")
                : Reconcile.syncForNewPrimary(st, cand, old, c.config().synchronousCount());
        o.fenced.add(old);
        o.fenceLsn = waitPast;
        o.sync = newSync.synchronous();
        o.syncSwitchLsn = null;
        o.publishTopology(
                st,
                old + " fenced (" + fenced.method() + (waitPast == null ? "" : ", shutdown checkpoint " + waitPast)
                        + "); " + cand + " promotes next",
                e.correlationId(),
                List.of(fenced));
        long tFenced = System.nanoTime();
        c.haltAfter("fenced", e.hookText());

        String syncNames = newSync.value();
        AgentClient.Promotion promotion;
        try {
            promotion = c.agents().promote(o.cluster, cand, term, waitPast, syncNames);
        } catch (AgentClient.AgentCallException ex) {
            if (ex.outcomeUnknown()) {
                // the promotion may have happened or may still happen: restarting the old primary now could
                // leave two writable nodes. The topology names the candidate; the old primary stays fenced.
                promotionFailed(
                        e,
                        kind,
                        cand,
                        Refusal.PROMOTE_OUTCOME_UNKNOWN,
                        ex.getMessage() + "; " + old + " stays fenced, " + cand
                                + " is the target and is promoted again until it is",
                        new OwnedCluster.PendingPromotion(e.correlationId(), kind, old, cand, syncNames, o.sync, t0));
                return;
            }
            if (force && waitPast != null) {
                try {
                    promotion = c.agents().promote(o.cluster, cand, term, null, syncNames);
                } catch (AgentClient.AgentCallException again) {
                    promotionFailed(e, kind, cand, Refusal.PROMOTE_FAILED, again.getMessage(), null);
                    return;
                }
            } else if (oldAlive) {
                giveBack(e, kind, old, cand, Refusal.PROMOTE_FAILED, ex.getMessage());
                return;
            } else {
                promotionFailed(
                        e,
                        kind,
                        cand,
                        Refusal.PROMOTE_FAILED,
                        ex.getMessage() + "; the cluster has no primary: " + cand
                                + " is promoted again as soon as its agent can",
                        new OwnedCluster.PendingPromotion(e.correlationId(), kind, old, cand, syncNames, o.sync, t0));
                return;
            }
        }
        long tPromoted = System.nanoTime();
        o.ordered(cand); // the new primary holds a lease from its promotion
        Lsn switchLsn = promotion.switchAt();
        Timeline newTl = promotion.newTl();
        NodePromoted promoted = promotion.event(o.cluster, term, cand);
        o.publishTopology(o.observe(), cand + " promoted; " + old + " fenced", e.correlationId(), List.of(promoted));
        c.haltAfter("promoted", e.hookText());

        List<PgopsEvent> after = new ArrayList<>();
        String rejoinNote = "";
        if (oldAlive) {
            try {
                RejoinOutcome out = c.agents().rejoin(o.cluster, old, term, cand);
                o.fenced.remove(old);
                after.add(new StandbyRejoined(
                        o.cluster,
                        term,
                        old,
                        cand,
                        out.method(),
                        newTl,
                        null,
                        out.durationMillis(),
                        out.reason(),
                        OwnedCluster.now()));
                rejoinNote = ", " + old + " rejoined by " + out.method();
            } catch (AgentClient.AgentCallException ex) {
                LOG.warnf("%s: %s did not rejoin yet: %s", o.cluster, old, ex.getMessage());
                rejoinNote = ", " + old + " not rejoined yet";
            }
        }
        long tRejoined = System.nanoTime();
        ClusterState fin = o.observe();
        for (NodeSpec n : fin.nodes()) {
            if (!n.name().equals(cand)
                    && fin.report(n.name())
                            .map(r -> r.running()
                                    && r.inRecovery()
                                    && !Integer.valueOf(fin.spec(cand).port()).equals(r.upstreamPort()))
                            .orElse(false)) {
                try {
                    c.agents().follow(o.cluster, n.name(), term, cand);
                } catch (AgentClient.AgentCallException ex) {
                    LOG.warnf("%s: %s does not follow %s yet: %s", o.cluster, n.name(), cand, ex.getMessage());
                }
            }
        }
        Long lost = oldAlive ? Long.valueOf(0) : (oldLsn == null ? null : Math.max(0, oldLsn.bytesSince(switchLsn)));
        String lostNote = "";
        if (!oldAlive && lost == null) {
            // the old primary died unreachable: its last WAL position is not known, so neither is what was lost;
            // the last position seen is only a lower bound, said in words, never published as the figure
            lostNote = lastKnownOld == null
                    ? "; WAL lost unknown (the old primary's last position was never seen)"
                    : "; WAL lost unknown: at least " + Math.max(0, lastKnownOld.bytesSince(switchLsn))
                            + " bytes (its last position seen " + lastKnownOld + ", the switch point " + switchLsn
                            + ")";
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        String summary = "fenced " + old + " (" + fenced.method() + "), promoted " + cand + rejoinNote + " (prepare "
                + ms(t0, tDecided) + " ms, fence " + ms(tDecided, tFenced) + " ms, promote " + ms(tFenced, tPromoted)
                + " ms, rejoin " + ms(tPromoted, tRejoined) + " ms)" + lostNote;
        after.add(new FailoverCompleted(
                o.cluster, term, kind, old, cand, newTl, switchLsn, lost, millis, summary, OwnedCluster.now()));
        o.fenceLsn = null;
        o.publishTopology(o.observe(), summary, e.correlationId(), after);
    }

    /**
     * Waits, where {@link LeaseWait} says so, until the old primary's lease has surely run out; what ended it, in
     * words, or null when no wait was needed.
     */
    private String awaitOldLease(NodeName old, boolean oldDown, NodeName cand) {
        while (true) {
            LeaseWait.Decision d = LeaseWait.decide(
                    oldDown ? "its agent reports PostgreSQL down" : null,
                    c.syncMode(o.cluster),
                    syncBefore,
                    cand,
                    Duration.ofNanos(System.nanoTime() - o.lastGrantNanos(old)),
                    c.config().leaseTtl(),
                    c.config().leaseMargin());
            if (d.remaining().isZero()) {
                return d.reason().startsWith("no wait") ? null : d.reason();
            }
            LOG.infof("%s: %s", o.cluster, d.reason());
            try {
                Thread.sleep(Math.max(1, d.remaining().toMillis()));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new LostOwnership("interrupted while waiting out the old primary's lease", false, ex);
            }
        }
    }

    /**
     * A promotion that failed once the old primary was fenced ends the change with the candidate as the target (and,
     * given {@code pending}, promoted again until it is: {@link Reconciler}). The candidate took no write, so the
     * commits acknowledged so far are on the old primary's synchronous standbys, not on those the candidate was to
     * name: the topology published with the refusal records the former, so a failover decided later — the candidate
     * lost in its turn, by this coordinator or a successor reading the topology — never promotes one of the latter as
     * if it held them. The candidate's own set comes with its promotion.
     */
    private void promotionFailed(
            Incident e,
            LeadershipChange kind,
            NodeName cand,
            Refusal code,
            String why,
            OwnedCluster.PendingPromotion pending) {
        o.fenceLsn = null; // the change ends here
        o.pendingPromotion = pending;
        o.sync = syncBefore;
        LOG.infof("%s: refused (%s): %s", o.cluster, code.code(), why);
        o.publishTopology(
                o.observe(),
                "the promotion of " + cand + " failed: " + why,
                e.correlationId(),
                List.of(new FailoverRefused(
                        o.cluster, o.term, kind, o.target, cand, code.code(), why, OwnedCluster.now())));
    }

    /** A change failed before the candidate was promoted: the old primary gets its role back, in a new term. */
    private void giveBack(Incident e, LeadershipChange kind, NodeName old, NodeName cand, Refusal code, String why) {
        o.fenceLsn = null;
        o.sync = syncBefore;
        o.term = o.term.next();
        o.target = old;
        o.fenced.remove(old);
        o.publishTopology(
                o.observe(),
                "aborted, " + old + " stays primary: " + why,
                e.correlationId(),
                List.of(new FailoverRefused(o.cluster, o.term, kind, old, cand, code.code(), why, OwnedCluster.now())));
        try {
            c.agents().start(o.cluster, old, o.term);
            o.ordered(old);
        } catch (AgentClient.AgentCallException ex) {
            LOG.warnf("%s: could not restart %s: %s", o.cluster, old, ex.getMessage());
        }
    }

    // ---- between commands ---------------------------------------------------------------------------------

    private static long ms(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }
}
