package io.pgops.replication.service;

import io.pgops.events.EventEnvelope;
import io.pgops.events.EventTypes;
import io.pgops.events.OperatorCommand;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Role;
import io.pgops.events.model.Term;
import io.pgops.events.replication.LeadershipChange;
import io.pgops.events.replication.ScheduledSwitchover;
import io.pgops.events.replication.SwitchoverRequested;
import io.pgops.events.replication.TopologyChanged;
import io.pgops.replication.domain.AgentReport;
import io.pgops.replication.domain.ClusterState;
import io.pgops.replication.domain.CommandRules;
import io.pgops.replication.domain.Refusal;
import io.pgops.replication.domain.RejoinOutcome;
import io.pgops.replication.domain.SyncPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The decision loop of one cluster, on a thread of its own, so a slow node or a long change of one
 * cluster never stalls another, nor the coordinator's Kafka session. It takes the cluster over (term + 1,
 * after reading the committed topology to its end), finishes a change its predecessor left half done,
 * then handles the cluster's commands in order and, between them, looks at the cluster once per reconcile
 * interval.
 */
final class ClusterWorker {
    private static final Logger LOG = Logger.getLogger(ClusterWorker.class);
    private static final Duration CAUGHT_UP = Duration.ofSeconds(15);
    private static final Duration SYNC_MOVE = Duration.ofSeconds(20);

    /**
     * A command read at {@code offset} of the cluster's partition, or a health breach (look at once); with
     * neither it only wakes the loop.
     */
    private record Work(EventEnvelope command, long offset, PrimaryLoss.Breach breach) {
        Work(EventEnvelope command, long offset) {
            this(command, offset, null);
        }
    }

    /** Told when a command read at an offset has been handled (its outcome committed or none due). */
    interface Handled {
        void handled(TopicPartition tp, long offset);
    }

    final ClusterId cluster;
    final TopicPartition partition;
    private final Coordination c;
    private final Handled handled;
    private final BlockingQueue<Work> queue = new LinkedBlockingQueue<>();
    /** Command ids handled by this worker (a command read again after a seek back is not run twice). */
    private final Set<String> done = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> e) {
            return size() > 1000;
        }
    });

    private final Thread thread;
    private volatile boolean running = true;
    private volatile OwnedCluster owned;
    private PrimaryLoss loss;

    ClusterWorker(ClusterId cluster, TopicPartition partition, Coordination c, Handled handled) {
        this.cluster = cluster;
        this.partition = partition;
        this.c = c;
        this.handled = handled;
        this.thread = new Thread(this::run, "pgops-coordinator-" + cluster.value());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues a command read at {@code offset}; it runs after the ones before it. */
    void offer(EventEnvelope command, long offset) {
        queue.add(new Work(command, offset));
    }

    /** The health-service reports {@code node} unreachable: look at once. */
    void breach(NodeName node, String correlationId) {
        queue.add(new Work(null, -1, new PrimaryLoss.Breach(node, correlationId, System.nanoTime())));
    }

    /**
     * Ends the loop: nothing more is committed from here (a change under way fails at its next commit; the
     * agents refuse its term once a successor's is known).
     */
    void stop() {
        running = false;
        OwnedCluster o = owned;
        if (o != null) {
            o.deactivate();
        }
        queue.add(new Work(null, -1));
    }

    boolean running() {
        return running;
    }

    boolean alive() {
        return thread.isAlive();
    }

    /** The cluster as this worker decides it, once taken over and while deciding. */
    java.util.Optional<OwnedCluster> ownedCluster() {
        OwnedCluster o = owned;
        return running && o != null && o.active() ? java.util.Optional.of(o) : java.util.Optional.empty();
    }

    /** Taken over and still deciding. */
    boolean deciding() {
        return running && owned != null;
    }

    private void run() {
        try {
            OwnedCluster o = takeOver();
            owned = o;
            if (!running) {
                o.deactivate();
                return;
            }
            boolean finished = new UnfinishedChange(o).finish();
            Reconciler reconciler = new Reconciler(o);
            loss = new PrimaryLoss(o);
            long nextLook = System.nanoTime();
            while (running) {
                long wait = nextLook - System.nanoTime();
                Work w = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
                if (!running) {
                    return;
                }
                if (w == null) {
                    if (!finished) {
                        finished = new UnfinishedChange(o).finish();
                    }
                    nextLook = System.nanoTime() + look(o, reconciler).toNanos();
                } else if (w.breach() != null) {
                    loss.breach(w.breach());
                    nextLook = System.nanoTime(); // look now
                } else if (w.command() != null) {
                    handle(o, w.command());
                    // only now may the partition's committed offset pass it; a command whose handling
                    // failed is read again after the takeover that follows
                    handled.handled(partition, w.offset());
                }
            }
        } catch (LostOwnership ex) {
            if (running) {
                c.lost().lost(partition, ex);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException ex) {
            LOG.errorf(ex, "%s: the decision loop failed", cluster);
            if (running) {
                c.lost().lost(partition, new LostOwnership("decision loop failed: " + ex, false, ex));
            }
        } finally {
            OwnedCluster o = owned;
            if (o != null) {
                o.deactivate();
            }
        }
    }

    private OwnedCluster takeOver() {
        if (!c.view().awaitCaughtUp(CAUGHT_UP)) {
            throw new LostOwnership("could not read pgops.topology to the end", false, null);
        }
        Optional<TopologyChanged> last = c.view().latest(cluster);
        ClusterState st = c.observe(cluster);
        OwnedCluster o = new OwnedCluster(cluster, partition, c);
        o.term = last.map(TopologyChanged::term).orElse(Term.ZERO).next();
        o.target = last.map(TopologyChanged::targetPrimary).orElseGet(() -> bootstrapTarget(st));
        o.paused = last.map(TopologyChanged::isPaused).orElse(false);
        o.scheduled = last.map(TopologyChanged::scheduledSwitchover).orElse(null);
        o.last = last.orElse(null);
        o.fenceLsn = last.map(TopologyChanged::fenceLsn).orElse(null);
        o.sync = last.map(t -> SyncPlan.recordedIn(t.members()))
                .orElseGet(() -> st.report(o.target)
                        .filter(AgentReport::writable)
                        .map(p -> p.replicas().stream()
                                .filter(AgentReport.Replica::isSync)
                                .map(r -> NodeName.of(r.name()))
                                .filter(st::has)
                                .toList())
                        .orElse(List.of()));
        String reason = c.instance() + " took over " + cluster
                + last.map(t -> " from term " + t.term().value()
                                + (t.coordinator() == null ? "" : " of " + t.coordinator()))
                        .orElse(" (first topology; primary found: " + o.target + ")");
        o.publishTakeover(st, reason);
        LOG.infof("%s: coordinator of %s, term %s, target primary %s", c.instance(), cluster, o.term, o.target);
        return o;
    }

    private NodeName bootstrapTarget(ClusterState st) {
        List<NodeName> writable = st.writable();
        if (writable.size() == 1) {
            return writable.getFirst();
        }
        return c.inventory().clusters().get(cluster.value()).nodes().entrySet().stream()
                .filter(e ->
                        e.getValue().roleHint().map(Role.PRIMARY.code()::equals).orElse(false))
                .map(e -> NodeName.of(e.getKey()))
                .findFirst()
                .orElse(st.nodes().getFirst().name());
    }

    /**
     * One look between commands: a scheduled switchover whose time has come, the primary's watch (which
     * fails it over when lost), then the repairs. When the next look is due.
     */
    private Duration look(OwnedCluster o, Reconciler reconciler) {
        try {
            runScheduledIfDue(o);
            ClusterState st = o.observe();
            PrimaryLoss.Outcome watched = o.paused ? PrimaryLoss.Outcome.NORMAL : loss.look(st);
            if (watched == PrimaryLoss.Outcome.SUSPECT) {
                return c.config().suspectLookInterval();
            }
            if (watched == PrimaryLoss.Outcome.NORMAL) {
                reconciler.reconcile(st);
            }
        } catch (LostOwnership ex) {
            throw ex;
        } catch (RuntimeException ex) {
            LOG.warnf("reconcile %s: %s", cluster, ex.toString());
        }
        return c.config().reconcileInterval();
    }

    /**
     * A command read again (after a seek back, or by a successor from an offset its predecessor had not
     * committed past) whose outcome is already committed is not run twice.
     */
    private boolean handledBefore(EventEnvelope e) {
        return done.contains(e.id())
                || c.view().followUps(e.correlationId()).stream()
                        .anyMatch(f -> !f.id().equals(e.id()) && !(f.data() instanceof OperatorCommand));
    }

    private void handle(OwnedCluster o, EventEnvelope e) {
        if (handledBefore(e)) {
            LOG.infof("%s: %s %s was handled before; not run again", cluster, e.type(), e.id());
            return;
        }
        LOG.infof("%s: %s for %s", c.instance(), e.type(), cluster);
        long commitsBefore = o.commits();
        try {
            decideAndAct(o, e, e.time());
            done.add(e.id());
        } catch (LostOwnership ex) {
            throw ex;
        } catch (RuntimeException ex) {
            if (o.commits() != commitsBefore) {
                throw ex; // part of it is committed: the takeover after this failure finishes it
            }
            LOG.errorf(ex, "%s: %s failed", cluster, e.type());
            o.refuse(
                    e.correlationId(),
                    e.data() instanceof SwitchoverRequested ? LeadershipChange.SWITCHOVER : LeadershipChange.MANUAL,
                    null,
                    Refusal.FAILED,
                    e.type() + " failed in the coordinator: " + ex);
            done.add(e.id());
        }
    }

    private void decideAndAct(OwnedCluster o, EventEnvelope e, Instant sentAt) {
        ClusterState st = o.observe();
        String corr = e.correlationId();
        CommandRules.Verdict v = CommandRules.decide(
                o.snapshot(st), (OperatorCommand) e.data(), sentAt, e.id(), Instant.now(), c.limits());
        switch (v) {
            case CommandRules.Refuse r -> o.refuse(corr, r.kind(), r.candidate(), r.code(), r.sentence());
            case CommandRules.SetPaused p -> {
                o.paused = p.paused();
                o.publishTopology(st, p.sentence(), corr, List.of());
            }
            case CommandRules.Schedule s -> {
                o.scheduled = s.switchover();
                o.publishTopology(st, s.sentence(), corr, List.of());
            }
            case CommandRules.Cancel x -> {
                o.scheduled = null;
                o.publishTopology(st, x.sentence(), corr, List.of());
            }
            case CommandRules.Rebuild rb -> rebuild(o, corr, st, rb);
            case CommandRules.Change ch -> {
                new ChangeRunner(o)
                        .change(
                                new ChangeRunner.Incident(corr, ((OperatorCommand) e.data()).reason()),
                                ch.kind(),
                                st,
                                ch.candidate(),
                                ch.oldAlive(),
                                ch.force(),
                                ch.sentence());
                if (loss != null) {
                    loss.changeEnded();
                }
            }
            case CommandRules.Accept a -> throw new IllegalStateException("the rules decide on live reports here");
        }
    }

    private void rebuild(OwnedCluster o, String corr, ClusterState st, CommandRules.Rebuild rb) {
        o.leaving.add(rb.node());
        try {
            // commits must not wait for a standby that is being rebuilt, nor may the topology still name it
            // as holding every acknowledged commit: the synchronous role moves off it first (recorded, then
            // applied; a replacement is added before it is removed)
            long deadline = System.nanoTime() + SYNC_MOVE.toNanos();
            Reconciler sync = new Reconciler(o);
            while (o.sync.contains(rb.node())) {
                sync.applySync(st);
                if (!o.sync.contains(rb.node())) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    o.refuse(
                            corr,
                            LeadershipChange.MANUAL,
                            rb.node(),
                            Refusal.REINIT_FAILED,
                            "the synchronous role could not be moved off " + rb.node() + " within " + SYNC_MOVE
                                    + " (no other standby caught up); it was not rebuilt");
                    return;
                }
                pause();
                st = o.observe();
            }
            RejoinOutcome out = c.agents().reinit(cluster, rb.node(), o.term, o.target);
            o.publishTopology(o.observe(), rb.sentence(), corr, List.of(o.rejoined(rb.node(), out)));
        } catch (AgentClient.AgentCallException ex) {
            o.refuse(corr, LeadershipChange.MANUAL, rb.node(), Refusal.REINIT_FAILED, ex.getMessage());
        } finally {
            o.leaving.remove(rb.node());
        }
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new LostOwnership("interrupted", false, ex);
        }
    }

    /** Starts the scheduled switchover once its time has come, as the command that asked for it. */
    private void runScheduledIfDue(OwnedCluster o) {
        ScheduledSwitchover s = o.scheduled;
        if (s == null || Instant.now().isBefore(s.at())) {
            return;
        }
        o.scheduled = null;
        SwitchoverRequested cmd = new SwitchoverRequested(cluster, null, s.to(), null, s.principal(), s.reason());
        EventEnvelope e = new EventEnvelope(
                s.commandId(),
                OwnedCluster.SOURCE,
                EventTypes.typeOf(cmd),
                cluster,
                OwnedCluster.now(),
                s.commandId(),
                cmd);
        LOG.infof("%s: scheduled switchover of %s starts", cluster, s.at());
        decideAndAct(o, e, Instant.now());
    }
}
