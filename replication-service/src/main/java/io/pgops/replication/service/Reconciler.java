package io.pgops.replication.service;

import io.pgops.events.PgopsEvent;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Timeline;
import io.pgops.events.replication.FailoverCompleted;
import io.pgops.events.replication.TopologyChanged;
import io.pgops.replication.domain.AgentReport;
import io.pgops.replication.domain.ClusterState;
import io.pgops.replication.domain.NodeSpec;
import io.pgops.replication.domain.Reconcile;
import io.pgops.replication.domain.RejoinOutcome;
import io.pgops.replication.domain.SyncPlan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Between commands the owner keeps its cluster matching the committed topology: it looks, lets
 * {@link Reconcile#plan} say what drifted (a stopped node, a standby following the wrong upstream, the
 * synchronous standby names, a standby that stopped streaming for longer than the patience), carries the
 * steps out, and publishes what changed. Runs on the cluster's worker thread.
 */
final class Reconciler {
    private static final Logger LOG = Logger.getLogger(Reconciler.class);

    private final OwnedCluster o;
    private final Coordination c;

    Reconciler(OwnedCluster o) {
        this.o = o;
        this.c = o.c;
    }

    /** @param st this look's reports */
    void reconcile(ClusterState st) {
        if (!o.paused && o.pendingPromotion != null && promoteAgain(st)) {
            return;
        }
        if (!o.paused) {
            long nowNanos = System.nanoTime();
            Set<NodeName> longAway = new HashSet<>();
            Set<NodeName> stuck = new HashSet<>();
            long patience = c.config().standbyPatience().toNanos();
            for (NodeSpec n : st.nodes()) {
                boolean notStreaming = st.report(n.name())
                        .map(r -> r.running() && r.inRecovery() && !r.streaming())
                        .orElse(false);
                if (!notStreaming) {
                    o.notStreamingSince.remove(n.name());
                    continue;
                }
                long away = nowNanos - o.notStreamingSince.computeIfAbsent(n.name(), k -> nowNanos);
                if (away > patience) {
                    longAway.add(n.name());
                }
                if (away > 3 * patience) {
                    stuck.add(n.name());
                }
            }
            List<Reconcile.Step> steps = Reconcile.plan(st, o.target, longAway, stuck);
            List<PgopsEvent> events = new ArrayList<>();
            for (Reconcile.Step step : steps) {
                try {
                    switch (step) {
                        case Reconcile.Start s -> {
                            c.agents().start(o.cluster, s.node(), o.term);
                            if (s.node().equals(o.target)) {
                                o.ordered(s.node()); // the primary started in place holds a lease from its start
                            }
                        }
                        case Reconcile.Follow f -> c.agents().follow(o.cluster, f.node(), o.term, o.target);
                        case Reconcile.Configure cf ->
                            c.agents()
                                    .configure(
                                            o.cluster,
                                            cf.node(),
                                            o.term,
                                            cf.synchronousStandbyNames(),
                                            cf.createSlots());
                        case Reconcile.Rebuild b -> {
                            RejoinOutcome out = c.agents().reinit(o.cluster, b.node(), o.term, o.target);
                            o.notStreamingSince.remove(b.node());
                            events.add(o.rejoined(b.node(), out));
                        }
                        case Reconcile.Rejoin r -> {
                            RejoinOutcome out = c.agents().rejoin(o.cluster, r.node(), o.term, o.target);
                            o.fenced.remove(r.node());
                            o.notStreamingSince.remove(r.node());
                            events.add(o.rejoined(r.node(), out));
                        }
                    }
                    LOG.infof("%s: %s", o.cluster, step.reason());
                } catch (AgentClient.AgentCallException ex) {
                    LOG.warnf("%s: %s: %s", o.cluster, step.reason(), ex.getMessage());
                }
            }
            if (!steps.isEmpty()) {
                st = o.observe();
            }
            if (!events.isEmpty()) {
                o.publishTopology(
                        st,
                        "repaired: "
                                + String.join(
                                        "; ",
                                        steps.stream()
                                                .map(Reconcile.Step::reason)
                                                .toList()),
                        null,
                        events);
                return;
            }
        }
        if (!o.paused && applySync(st)) {
            return;
        }
        TopologyChanged now = o.topology(st, "observed");
        if (o.last == null
                || !ClusterState.shape(now.members()).equals(ClusterState.shape(o.last.members()))
                || !Objects.equals(now.currentPrimary(), o.last.currentPrimary())) {
            o.publishTopology(st, "observed change", null, List.of());
        } else if (System.nanoTime() - o.positionsPublishedNanos
                        > c.config().positionsRefresh().toNanos()
                && !now.members().equals(o.last.members())) {
            // only WAL positions and lag moved: refresh the compacted topology (the current state), not
            // the events topic, which carries changes
            o.refreshPositions(st);
        }
    }

    /**
     * Finishes a change whose promotion failed after the old primary was fenced ({@link
     * OwnedCluster#pendingPromotion}): the target is promoted again once it runs as a standby and no node takes
     * writes, and the change's incident ends with {@code NodePromoted} and {@code FailoverCompleted}. Whether it
     * published.
     */
    private boolean promoteAgain(ClusterState st) {
        OwnedCluster.PendingPromotion p = o.pendingPromotion;
        if (!p.candidate().equals(o.target)) {
            o.pendingPromotion = null; // another change moved the target since
            return false;
        }
        if (st.report(p.candidate()).map(AgentReport::writable).orElse(false)) {
            o.pendingPromotion = null; // the promotion whose outcome was unknown happened
            o.sync = p.newSync(); // it takes writes with the standbys it was promoted with
            LOG.infof("%s: %s is writable: its earlier promotion went through", o.cluster, p.candidate());
            return false;
        }
        Optional<String> why = Reconcile.promoteAgain(st, p.candidate());
        if (why.isEmpty()) {
            return false;
        }
        AgentClient.Promotion pr;
        try {
            pr = c.agents().promote(o.cluster, p.candidate(), o.term, null, p.syncNames());
        } catch (AgentClient.AgentCallException ex) {
            LOG.warnf("%s: %s: %s", o.cluster, why.get(), ex.getMessage());
            return false;
        }
        o.ordered(p.candidate()); // the new primary holds a lease from its promotion
        o.pendingPromotion = null;
        o.sync = p.newSync(); // its synchronous standbys from its first write, as the topology now records
        Timeline newTl = pr.newTl();
        Lsn switchLsn = pr.switchAt();
        long millis = (System.nanoTime() - p.startedNanos()) / 1_000_000;
        String summary = "fenced " + p.old() + ", promoted " + p.candidate() + " at a later try (its first promotion"
                + " failed; " + millis + " ms from the change's start); WAL lost unknown";
        LOG.warnf("%s: %s", o.cluster, summary);
        o.publishTopology(
                o.observe(),
                summary,
                p.correlationId(),
                List.of(
                        pr.event(o.cluster, o.term, p.candidate()),
                        new FailoverCompleted(
                                o.cluster,
                                o.term,
                                p.kind(),
                                p.old(),
                                p.candidate(),
                                newTl,
                                switchLsn,
                                null,
                                millis,
                                summary,
                                OwnedCluster.now())));
        return true;
    }

    /**
     * The next step of the synchronous standbys ({@link SyncPlan}): a new set is recorded in the topology
     * first, then applied on the primary. Whether a topology was published.
     */
    boolean applySync(ClusterState st) {
        Optional<AgentReport> primary = st.report(o.target).filter(AgentReport::writable);
        if (primary.isEmpty()) {
            return false;
        }
        AgentReport p = primary.get();
        long now = System.nanoTime();
        Set<NodeName> awayLong = new HashSet<>();
        o.syncAwaySince.keySet().retainAll(o.sync);
        for (NodeName n : o.sync) {
            boolean streaming =
                    p.replica(n).map(r -> "streaming".equals(r.state())).orElse(false);
            if (streaming) {
                o.syncAwaySince.remove(n);
            } else if (now - o.syncAwaySince.computeIfAbsent(n, k -> now)
                    > c.config().syncPatience().toNanos()) {
                awayLong.add(n);
            }
        }
        List<NodeSpec> standbys =
                st.nodes().stream().filter(n -> !n.name().equals(o.target)).toList();
        Optional<SyncPlan.Step> step = SyncPlan.next(
                o.sync,
                p,
                standbys,
                o.leaving,
                awayLong,
                c.config().synchronousCount(),
                c.syncMode(o.cluster),
                o.syncSwitchLsn);
        if (step.isEmpty()) {
            o.syncSwitchLsn = null;
            return false;
        }
        SyncPlan.Step s = step.get();
        boolean recorded = false;
        if (s.changesRecord(o.sync)) {
            o.sync = List.copyOf(s.record());
            o.publishTopology(st, "synchronous standbys: " + s.reason(), null, List.of());
            recorded = true;
        }
        o.syncSwitchLsn = s.switchLsn();
        if (s.apply() != null) {
            try {
                c.agents().configure(o.cluster, o.target, o.term, s.apply(), List.of());
                LOG.infof("%s: synchronous_standby_names = '%s' (%s)", o.cluster, s.apply(), s.reason());
            } catch (AgentClient.AgentCallException ex) {
                LOG.warnf("%s: could not set synchronous_standby_names: %s", o.cluster, ex.getMessage());
            }
        }
        return recorded;
    }
}
