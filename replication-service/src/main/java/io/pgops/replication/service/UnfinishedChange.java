package io.pgops.replication.service;

import io.pgops.events.EventEnvelope;
import io.pgops.events.PgopsEvent;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Timeline;
import io.pgops.events.replication.FailoverCompleted;
import io.pgops.events.replication.FailoverRefused;
import io.pgops.events.replication.FailoverStarted;
import io.pgops.events.replication.Member;
import io.pgops.events.replication.TopologyChanged;
import io.pgops.replication.domain.AgentReport;
import io.pgops.replication.domain.ClusterState;
import io.pgops.replication.domain.CommandRules;
import io.pgops.replication.domain.Refusal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * At every takeover: the change a previous owner started ({@code FailoverStarted}) and did not end is
 * finished, or rolled back, under the successor's term and the change's correlation id, so an incident
 * has one correlation id from start to end. Runs on the cluster's worker thread.
 */
final class UnfinishedChange {
    private static final Logger LOG = Logger.getLogger(UnfinishedChange.class);

    private final OwnedCluster o;
    private final Coordination c;

    UnfinishedChange(OwnedCluster o) {
        this.o = o;
        this.c = o.c;
    }

    /**
     * The change a previous coordinator started ({@code FailoverStarted}) and did not end (no {@code
     * FailoverCompleted} or {@code FailoverRefused} of its correlation id), if any.
     */
    private Optional<EventEnvelope> unfinishedChange(ClusterId cluster) {
        EventEnvelope started = null;
        for (TopologyView.Entry en : c.view().history(cluster)) {
            PgopsEvent d = en.event().data();
            if (d instanceof FailoverStarted) {
                started = en.event();
            } else if (started != null
                    && (d instanceof FailoverCompleted || d instanceof FailoverRefused)
                    && started.correlationId().equals(en.correlationId())) {
                started = null;
            }
        }
        return Optional.ofNullable(started);
    }

    /**
     * Whether {@code cand} was a synchronous standby of the old primary as the topology published with the
     * change's decision recorded it (later topologies of the change record the new primary's standbys).
     */
    private boolean syncWhenStarted(String corr, NodeName cand) {
        return startedWith(corr)
                .map(t -> t.member(cand).map(Member::sync).orElse(false))
                .orElseGet(() -> CommandRules.wasSync(o.last, Optional.empty(), cand));
    }

    /** The topology published with the change's decision. */
    private Optional<TopologyChanged> startedWith(String corr) {
        for (TopologyView.Entry en : c.view().history(o.cluster)) {
            if (corr.equals(en.correlationId()) && en.event().data() instanceof TopologyChanged t) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /**
     * A successor finishes the change its predecessor left half done, under its own term and the change's
     * correlation id (one incident from start to end). Not yet promoted: the change runs again from the
     * decision (fence, which on a node already stopped cleanly only reads its shutdown checkpoint; promote
     * past it; rejoin), and rolls back to the old primary if it cannot. Promoted already: the promotion's
     * facts are read (a second promote of a primary only reports them) and the change is completed. A
     * candidate found stopped (its agent stops a promoted node whose lease nobody renewed while no coordinator
     * owned the cluster, nor every peer confirmed) is started first, as the reconcile loop starts the target:
     * it comes back as what it is, the promoted primary or a standby the change then runs again with.
     *
     * @return false when the change is still unfinished and the next look should try again
     */
    boolean finish() {
        Optional<EventEnvelope> s = unfinishedChange(o.cluster);
        if (s.isEmpty()) {
            return true;
        }
        FailoverStarted fs = (FailoverStarted) s.get().data();
        String corr = s.get().correlationId();
        NodeName old = fs.oldPrimary();
        NodeName cand = fs.candidate();
        if (!cand.equals(o.target)) {
            // the committed topology no longer names that change's candidate: it was superseded, not left
            // half done, and must not be replayed now
            LOG.infof(
                    "%s: change %s → %s (term %s) is not the topology's; not resumed", o.cluster, old, cand, fs.term());
            return true;
        }
        ChangeRunner.Incident env = new ChangeRunner.Incident(corr, null);
        String why = c.instance() + " finishes the " + fs.kind() + " " + old + " → " + cand
                + " left unfinished at term " + fs.term().value();
        LOG.warnf("%s: %s", o.cluster, why);
        ClusterState st = o.observe();
        if (st.report(cand).map(AgentReport::stopped).orElse(false)) {
            try {
                c.agents().start(o.cluster, cand, o.term);
                o.ordered(cand); // the target started holds a lease from its start
                LOG.infof("%s: %s was found stopped and is started before the change is finished", o.cluster, cand);
            } catch (AgentClient.AgentCallException ex) {
                LOG.warnf("%s: could not start %s yet: %s", o.cluster, cand, ex.getMessage());
                return false;
            }
            st = o.observe();
        }
        boolean promotedAlready = st.report(cand).map(AgentReport::writable).orElse(false);
        if (!promotedAlready) {
            boolean oldReachable = st.report(old).isPresent();
            // the predecessor recorded the old primary's shutdown checkpoint before promoting: with it the
            // candidate is promoted past it without the old primary's agent
            Lsn recorded = o.fenceLsn;
            if (!oldReachable && recorded == null && !syncWhenStarted(corr, cand)) {
                o.target = old;
                o.refuse(
                        corr,
                        fs.kind(),
                        cand,
                        Refusal.UNFINISHED_CHANGE_UNSAFE,
                        why + ": " + old + " cannot be reached, no fence LSN was recorded and " + cand
                                + " was not the synchronous standby, so nothing proves it has every acknowledged"
                                + " commit; promote with force, or bring " + old + " back");
                return true;
            }
            o.target = old;
            // the old primary's synchronous standbys as the decision recorded them (the fence recorded the new
            // primary's already): what the change runs again with, and what a rollback restores
            startedWith(corr).ifPresent(t -> o.sync = io.pgops.replication.domain.SyncPlan.recordedIn(t.members()));
            new ChangeRunner(o)
                    .change(env, fs.kind(), st, cand, oldReachable, false, why, oldReachable ? null : recorded);
            return true;
        }
        AgentClient.Promotion p;
        try {
            p = c.agents().promote(o.cluster, cand, o.term, null, null); // a primary only reports its promotion
        } catch (AgentClient.AgentCallException ex) {
            LOG.warnf("%s: could not read %s's promotion yet: %s", o.cluster, cand, ex.getMessage());
            return false; // the next look tries again; the change stays unfinished, and says so
        }
        o.moveTarget(cand);
        o.fenceLsn = null;
        Timeline newTl = Timeline.of(p.newTimeline());
        Lsn switchLsn = Lsn.parse(p.switchLsn());
        long millis =
                Math.max(0, Duration.between(fs.startedAt(), Instant.now()).toMillis());
        String summary = why + ": " + cand + " was promoted (timeline " + newTl.value() + " from " + switchLsn + "); "
                + old + " is rejoined by the reconcile loop";
        o.publishTopology(
                o.observe(),
                summary,
                corr,
                List.of(new FailoverCompleted(
                        o.cluster,
                        o.term,
                        fs.kind(),
                        old,
                        cand,
                        newTl,
                        switchLsn,
                        null,
                        millis,
                        summary,
                        OwnedCluster.now())));
        return true;
    }
}
