package io.pgops.replication.service;

import io.pgops.events.EventEnvelope;
import io.pgops.events.MalformedEventException;
import io.pgops.events.PgopsEvent;
import io.pgops.events.Topics;
import io.pgops.events.model.ClusterId;
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
import io.pgops.events.replication.PauseRequested;
import io.pgops.events.replication.PromoteRequested;
import io.pgops.events.replication.ReinitRequested;
import io.pgops.events.replication.ResumeRequested;
import io.pgops.events.replication.ScheduledSwitchover;
import io.pgops.events.replication.StandbyRejoined;
import io.pgops.events.replication.SwitchoverCancellationRequested;
import io.pgops.events.replication.SwitchoverRequested;
import io.pgops.events.replication.TopologyChanged;
import io.pgops.kit.inventory.Inventory;
import io.pgops.kit.messaging.KafkaClients;
import io.pgops.replication.config.AgentConfig;
import io.pgops.replication.config.CoordinatorConfig;
import io.pgops.replication.domain.AgentReport;
import io.pgops.replication.domain.CandidateSelection;
import io.pgops.replication.domain.ClusterState;
import io.pgops.replication.domain.FailoverPolicy;
import io.pgops.replication.domain.MemberState;
import io.pgops.replication.domain.NodeSpec;
import io.pgops.replication.domain.Reconcile;
import io.pgops.replication.domain.RejoinOutcome;
import io.pgops.replication.domain.Slots;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The one decider per cluster. Coordinators form one consumer group on {@code pgops.replication.commands}
 * (key = cluster id); the owner of a cluster's partition decides for it. On taking a cluster over it
 * reads {@code pgops.topology} to the end and publishes the topology with the term plus one. Every
 * decision is produced in a Kafka transaction together with the consumed offsets and the group's
 * metadata (KIP-447), so a coordinator that lost its partition (paused, partitioned) fails to commit,
 * and agents, which read committed records only, never act on its term. Between commands it keeps the
 * cluster matching its topology ({@link Reconcile}).
 */
@ApplicationScoped
public class Coordinator {
    private static final Logger LOG = Logger.getLogger(Coordinator.class);
    private static final String SOURCE = "/pgops/replication-service";
    private static final Duration COMMAND_EXPIRY = Duration.ofMinutes(5);

    /** A decision could not be committed: Kafka fenced this coordinator, the cluster is no longer ours. */
    static final class LostOwnership extends RuntimeException {
        /** Another producer or group generation owns the partition now. */
        final boolean fenced;

        LostOwnership(String message, boolean fenced, Throwable cause) {
            super(message, cause);
            this.fenced = fenced;
        }
    }

    /** What the owner keeps of one cluster. */
    static final class Owned {
        final ClusterId cluster;
        final TopicPartition partition;
        Term term;
        NodeName target;
        boolean paused;
        ScheduledSwitchover scheduled;
        TopologyChanged last;
        long positionsPublishedNanos;
        final Set<NodeName> fenced = new HashSet<>();
        final Map<NodeName, Long> notStreamingSince = new java.util.HashMap<>();

        Owned(ClusterId cluster, TopicPartition partition) {
            this.cluster = cluster;
            this.partition = partition;
        }
    }

    private final Inventory inventory;
    private final CoordinatorConfig config;
    private final AgentConfig agentConfig;
    private final AgentClient agents;
    private final TopologyView view;
    private final String instance;
    private final Map<ClusterId, Owned> owned = new ConcurrentHashMap<>();
    private final KafkaClients kafka;
    private final PartitionTransactions.BeforeCommit beforeCommit;
    // the poll thread's own state: offsets to commit, partitions to take over, partitions held back
    private final Map<TopicPartition, Long> next = new HashMap<>();
    /** How many partitions of the commands topic the group assigns to this instance now (for /coordinator). */
    private final java.util.concurrent.atomic.AtomicInteger assigned = new java.util.concurrent.atomic.AtomicInteger();

    private final Map<TopicPartition, Pending> pending = new HashMap<>();
    private final Set<TopicPartition> held = new HashSet<>();
    private long generation;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private PartitionTransactions tx;
    private Thread thread;

    public Coordinator(
            Inventory inventory,
            CoordinatorConfig config,
            AgentConfig agentConfig,
            AgentClient agents,
            TopologyView view,
            KafkaClients kafka,
            @ConfigProperty(name = "pgops.instance") String instance) {
        this.inventory = inventory;
        this.config = config;
        this.agentConfig = agentConfig;
        this.agents = agents;
        this.view = view;
        this.kafka = kafka;
        this.instance = instance;
        this.beforeCommit = config.haltBeforeCommit().map(Coordinator::haltOn).orElse(null);
    }

    /**
     * The test hook that places a crash between send and commit: halts the JVM, as SIGKILL would, once
     * a transaction holding a record that contains {@code marker} has reached the broker.
     */
    private static PartitionTransactions.BeforeCommit haltOn(String marker) {
        return (tp, records) -> {
            for (ProducerRecord<String, byte[]> r : records) {
                if (r.value() != null && new String(r.value(), StandardCharsets.UTF_8).contains(marker)) {
                    LOG.warnf("halting before the commit of a transaction on %s (test hook)", tp);
                    Runtime.getRuntime().halt(137);
                }
            }
        };
    }

    /**
     * The {@code halt-at} test hook: halts after {@code step} of a change whose operator command's reason
     * contains the marker.
     */
    private void haltAfter(String step, EventEnvelope e) {
        config.haltAt().ifPresent(h -> {
            int colon = h.indexOf(':');
            if (colon > 0
                    && h.substring(0, colon).equals(step)
                    && e.data() instanceof io.pgops.events.OperatorCommand cmd
                    && cmd.reason().contains(h.substring(colon + 1))) {
                LOG.warnf("halting after %s (test hook)", step);
                Runtime.getRuntime().halt(137);
            }
        });
    }

    public boolean enabled() {
        return config.enabled().orElse(agentConfig.node().isEmpty());
    }

    /** The clusters this instance decides for now. */
    /** How many partitions of the commands topic are assigned to this instance now. */
    public int assignedPartitions() {
        return Math.max(0, assigned.get());
    }

    public Set<ClusterId> ownedClusters() {
        return Set.copyOf(owned.keySet());
    }

    public String instance() {
        return instance;
    }

    void start(@Observes StartupEvent e) {
        if (!enabled()) {
            return;
        }
        thread = new Thread(this::run, "pgops-coordinator");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent e) {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    private void run() {
        while (running) {
            try {
                session();
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf(e, "coordinator session ended; starting a new one");
                owned.clear();
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * A partition of the commands topic assigned here whose clusters are not all taken over yet: when to
     * try next, and, after a fence, the rebalance generation that must have confirmed the assignment
     * first (else a zombie's retry would fence the real owner's producer).
     */
    private record Pending(long atNanos, int attempt, long afterGeneration) {
        static Pending now() {
            return new Pending(System.nanoTime(), 0, 0);
        }

        Pending next(boolean fenced, long generation) {
            long backoff = Math.min(10_000L, 1000L << Math.min(attempt, 4));
            return new Pending(
                    System.nanoTime() + backoff * 1_000_000, attempt + 1, fenced ? generation + 1 : afterGeneration);
        }
    }

    private void session() {
        try (PartitionTransactions t = new PartitionTransactions(
                        kafka, config.group(), instance, config.transactionTimeout(), beforeCommit);
                KafkaConsumer<String, byte[]> c = newConsumer()) {
            tx = t;
            consumer = c;
            c.subscribe(List.of(Topics.REPLICATION_COMMANDS), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> parts) {
                    assigned.addAndGet(-parts.size());
                    release(parts, "revoked");
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> parts) {
                    assigned.addAndGet(-parts.size());
                    release(parts, "lost");
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> parts) {
                    assigned.addAndGet(parts.size());
                    generation++;
                    for (TopicPartition tp : parts) {
                        next.put(tp, c.position(tp));
                        pending.put(tp, Pending.now());
                    }
                }
            });
            long nextReconcile = System.nanoTime();
            while (running) {
                var records = c.poll(Duration.ofMillis(200));
                takeOverDue();
                for (ConsumerRecord<String, byte[]> r : records) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (held.contains(tp) || !next.containsKey(tp)) {
                        continue; // re-read once its clusters are taken over
                    }
                    try {
                        handle(r, tp);
                    } catch (LostOwnership ex) {
                        lose(tp, ex);
                    }
                }
                if (System.nanoTime() >= nextReconcile) {
                    for (Owned o : List.copyOf(owned.values())) {
                        if (!owned.containsKey(o.cluster)) {
                            continue; // dropped with its partition during this round
                        }
                        try {
                            reconcile(o);
                        } catch (LostOwnership ex) {
                            lose(o.partition, ex);
                        } catch (RuntimeException ex) {
                            LOG.warnf("reconcile %s: %s", o.cluster, ex.toString());
                        }
                    }
                    nextReconcile =
                            System.nanoTime() + config.reconcileInterval().toNanos();
                }
            }
        } finally {
            owned.clear();
            next.clear();
            pending.clear();
            held.clear();
            consumer = null;
            tx = null;
        }
    }

    /** The partitions left this instance: their clusters are no longer decided here. */
    private void release(Collection<TopicPartition> parts, String why) {
        for (TopicPartition tp : parts) {
            pending.remove(tp);
            held.remove(tp);
            next.remove(tp);
            dropClustersOf(tp, why);
            tx.close(tp);
        }
    }

    private void dropClustersOf(TopicPartition tp, String why) {
        owned.values().removeIf(o -> {
            if (o.partition.equals(tp)) {
                LOG.infof("%s: no longer the coordinator of %s (%s)", instance, o.cluster, why);
                return true;
            }
            return false;
        });
    }

    /**
     * A decision on {@code tp} was not committed. Its clusters are dropped and taken over again while the
     * partition stays assigned here: after a backoff, and after a fence only once a rebalance has
     * confirmed the assignment (this instance rejoins the group at once to find out).
     */
    private void lose(TopicPartition tp, LostOwnership ex) {
        LOG.warnf("lost %s: %s", tp, ex.getMessage());
        dropClustersOf(tp, ex.fenced ? "fenced" : "not committed");
        if (!next.containsKey(tp)) {
            return; // no longer assigned
        }
        pending.put(tp, pending.getOrDefault(tp, Pending.now()).next(ex.fenced, generation));
        if (ex.fenced) {
            tx.close(tp);
            consumer.enforceRebalance("a decision on " + tp + " was fenced");
        }
    }

    // ---- ownership --------------------------------------------------------------------------------------

    static int partitionOf(ClusterId cluster, int partitions) {
        return Utils.toPositive(Utils.murmur2(cluster.value().getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** Takes over the clusters of every assigned partition whose (next) attempt is due. */
    private void takeOverDue() {
        long now = System.nanoTime();
        for (var e : List.copyOf(pending.entrySet())) {
            TopicPartition tp = e.getKey();
            Pending p = e.getValue();
            if (now - p.atNanos() < 0 || generation < p.afterGeneration() || !next.containsKey(tp)) {
                continue;
            }
            try {
                tx.open(tp);
                takeOverClustersOf(tp);
                pending.remove(tp);
                if (held.remove(tp)) {
                    consumer.resume(List.of(tp));
                }
            } catch (LostOwnership ex) {
                LOG.warnf(
                        "could not take the clusters of %s over (attempt %d): %s",
                        tp, p.attempt() + 1, ex.getMessage());
                lose(tp, ex);
            } catch (PartitionTransactions.NotCommitted ex) {
                LOG.warnf(
                        "could not take the clusters of %s over (attempt %d): %s",
                        tp, p.attempt() + 1, ex.getMessage());
                lose(tp, new LostOwnership(ex.getMessage(), ex.fenced, ex));
            }
        }
    }

    private void takeOverClustersOf(TopicPartition tp) {
        int partitions = consumer.partitionsFor(tp.topic()).size();
        for (String id : inventory.clusters().keySet()) {
            ClusterId cluster = ClusterId.of(id);
            if (partitionOf(cluster, partitions) == tp.partition() && !owned.containsKey(cluster)) {
                takeOver(cluster, tp);
            }
        }
    }

    private void takeOver(ClusterId cluster, TopicPartition tp) {
        if (!view.awaitCaughtUp(Duration.ofSeconds(15))) {
            throw new LostOwnership("could not read pgops.topology to the end", false, null);
        }
        Optional<TopologyChanged> last = view.latest(cluster);
        ClusterState st = observe(cluster);
        Owned o = new Owned(cluster, tp);
        o.term = last.map(TopologyChanged::term).orElse(Term.ZERO).next();
        o.target = last.map(TopologyChanged::targetPrimary).orElseGet(() -> bootstrapTarget(cluster, st));
        o.paused = last.map(TopologyChanged::isPaused).orElse(false);
        o.scheduled = last.map(TopologyChanged::scheduledSwitchover).orElse(null);
        o.last = last.orElse(null);
        String reason = instance + " took over " + cluster
                + last.map(t -> " from term " + t.term().value()
                                + (t.coordinator() == null ? "" : " of " + t.coordinator()))
                        .orElse(" (first topology; primary found: " + o.target + ")");
        publishTopology(o, st, reason, null, List.of());
        owned.put(cluster, o);
        LOG.infof("%s: coordinator of %s, term %s, target primary %s", instance, cluster, o.term, o.target);
        finishUnfinished(o);
    }

    /**
     * The change a previous coordinator started ({@code FailoverStarted}) and did not end (no {@code
     * FailoverCompleted} or {@code FailoverRefused} of its correlation id), if any.
     */
    private Optional<EventEnvelope> unfinishedChange(ClusterId cluster) {
        EventEnvelope started = null;
        for (TopologyView.Entry en : view.history(cluster)) {
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
     * A successor finishes the change its predecessor left half done, under its own term and the change's
     * correlation id (one incident from start to end). Not yet promoted: the change runs again from the
     * decision (fence, which on a node already stopped cleanly only reads its shutdown checkpoint; promote
     * past it; rejoin), and rolls back to the old primary if it cannot. Promoted already: the promotion's
     * facts are read (a second promote of a primary only reports them) and the change is completed.
     */
    private void finishUnfinished(Owned o) {
        Optional<EventEnvelope> s = unfinishedChange(o.cluster);
        if (s.isEmpty()) {
            return;
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
            return;
        }
        EventEnvelope env = EventEnvelope.wrap(fs, SOURCE, corr);
        String why = instance + " finishes the " + fs.kind() + " " + old + " → " + cand + " left unfinished at term "
                + fs.term().value();
        LOG.warnf("%s: %s", o.cluster, why);
        ClusterState st = observe(o.cluster);
        boolean promotedAlready = st.report(cand).map(AgentReport::writable).orElse(false);
        if (!promotedAlready) {
            boolean oldReachable = st.report(old).isPresent();
            if (!oldReachable && !wasSync(o, Optional.empty(), cand)) {
                o.target = old;
                refuse(
                        o,
                        env,
                        fs.kind(),
                        cand,
                        "unfinished-change-unsafe",
                        why + ": " + old + " cannot be reached and " + cand
                                + " was not the synchronous standby, so nothing proves it has every acknowledged"
                                + " commit; promote with force, or bring " + old + " back");
                return;
            }
            o.target = old;
            change(o, env, fs.kind(), st, cand, oldReachable, false, why);
            return;
        }
        AgentClient.Promotion p;
        try {
            p = agents.promote(o.cluster, cand, o.term, null, null); // a primary only reports its promotion
        } catch (AgentClient.AgentCallException ex) {
            LOG.warnf("%s: could not read %s's promotion yet: %s", o.cluster, cand, ex.getMessage());
            return; // the next takeover or look tries again; the change stays unfinished, and says so
        }
        o.target = cand;
        Timeline newTl = Timeline.of(p.newTimeline());
        Lsn switchLsn = Lsn.parse(p.switchLsn());
        long millis =
                Math.max(0, Duration.between(fs.startedAt(), Instant.now()).toMillis());
        String summary = why + ": " + cand + " was promoted (timeline " + newTl.value() + " from " + switchLsn + "); "
                + old + " is rejoined by the reconcile loop";
        publishTopology(
                o,
                observe(o.cluster),
                summary,
                corr,
                List.of(new FailoverCompleted(
                        o.cluster, o.term, fs.kind(), old, cand, newTl, switchLsn, null, millis, summary, now())));
    }

    private NodeName bootstrapTarget(ClusterId cluster, ClusterState st) {
        List<NodeName> writable = st.writable();
        if (writable.size() == 1) {
            return writable.getFirst();
        }
        return inventory.clusters().get(cluster.value()).nodes().entrySet().stream()
                .filter(e -> e.getValue().roleHint().map("primary"::equals).orElse(false))
                .map(e -> NodeName.of(e.getKey()))
                .findFirst()
                .orElse(st.nodes().getFirst().name());
    }

    // ---- observation and publication --------------------------------------------------------------------

    ClusterState observe(ClusterId cluster) {
        List<NodeSpec> specs = specs(cluster);
        AgentClient.Reports r =
                agents.reports(cluster, specs.stream().map(NodeSpec::name).toList());
        return new ClusterState(specs, r.reports(), r.unanswered());
    }

    List<NodeSpec> specs(ClusterId cluster) {
        List<NodeSpec> specs = new ArrayList<>();
        inventory
                .clusters()
                .get(cluster.value())
                .nodes()
                .forEach((name, n) -> specs.add(
                        new NodeSpec(NodeName.of(name), n.host(), n.port(), n.nofailover(), n.priority(), n.nosync())));
        specs.sort(java.util.Comparator.comparing(s -> s.name().value()));
        return specs;
    }

    private TopologyChanged topology(Owned o, ClusterState st, String reason) {
        List<Member> members = st.members(o.target, o.fenced);
        Optional<NodeName> current = st.currentPrimary(o.target);
        Timeline tl = current.flatMap(st::report)
                .map(AgentReport::timeline)
                .orElse(o.last == null ? Timeline.of(1) : o.last.timeline());
        return new TopologyChanged(
                o.cluster,
                o.term,
                o.target,
                current.orElse(null),
                tl,
                members,
                reason,
                now(),
                o.paused,
                instance,
                o.scheduled);
    }

    private void publishTopology(
            Owned o, ClusterState st, String reason, String correlationId, List<PgopsEvent> before) {
        TopologyChanged t = topology(o, st, reason);
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        String corr = correlationId;
        for (PgopsEvent e : before) {
            EventEnvelope env = EventEnvelope.wrap(e, SOURCE, corr);
            corr = corr == null ? env.correlationId() : corr;
            records.add(KafkaRecords.of(Topics.REPLICATION_EVENTS, env));
        }
        EventEnvelope env = EventEnvelope.wrap(t, SOURCE, corr);
        records.add(KafkaRecords.of(Topics.TOPOLOGY, env));
        records.add(KafkaRecords.of(Topics.REPLICATION_EVENTS, env));
        commit(records, o.partition);
        o.last = t;
        o.positionsPublishedNanos = System.nanoTime();
    }

    private void publish(Owned o, String correlationId, PgopsEvent... events) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (PgopsEvent e : events) {
            records.add(KafkaRecords.of(Topics.REPLICATION_EVENTS, EventEnvelope.wrap(e, SOURCE, correlationId)));
        }
        commit(records, o.partition);
    }

    /** One transaction on the partition's producer: the records and the partition's consumed offset. */
    private void commit(List<ProducerRecord<String, byte[]>> records, TopicPartition tp) {
        Long offset = next.get(tp);
        if (offset == null) {
            throw new LostOwnership(tp + " is not assigned to " + instance, false, null);
        }
        try {
            tx.commit(tp, records, offset, consumer.groupMetadata());
        } catch (PartitionTransactions.NotCommitted e) {
            throw new LostOwnership(e.getMessage(), e.fenced, e);
        }
    }

    // ---- commands -----------------------------------------------------------------------------------------

    private void handle(ConsumerRecord<String, byte[]> r, TopicPartition tp) {
        EventEnvelope e;
        try {
            e = KafkaRecords.decode(r);
        } catch (MalformedEventException ex) {
            deadLetter(r, tp, ex.getMessage());
            return;
        }
        Owned o = owned.get(e.subject());
        if (o == null) {
            if (!inventory.clusters().containsKey(e.subject().value())) {
                deadLetter(r, tp, "cluster " + e.subject() + " is not in this coordinator's inventory");
            } else {
                // its takeover is pending: read it again once the cluster is decided here
                LOG.infof("command for %s arrived before its takeover; held until then", e.subject());
                hold(tp, r.offset());
            }
            return;
        }
        next.put(tp, r.offset() + 1);
        if (e.time().isBefore(Instant.now().minus(COMMAND_EXPIRY))) {
            refuse(o, e, LeadershipChange.MANUAL, null, "expired", "the command is older than " + COMMAND_EXPIRY);
            return;
        }
        LOG.infof("%s: %s for %s", instance, e.type(), e.subject());
        switch (e.data()) {
            case SwitchoverRequested s -> switchover(o, e, s);
            case PromoteRequested p -> promote(o, e, p);
            case ReinitRequested ri -> reinit(o, e, ri);
            case SwitchoverCancellationRequested c -> cancelScheduled(o, e, c);
            case PauseRequested p -> pause(o, e, true, p.principal(), p.reason());
            case ResumeRequested p -> pause(o, e, false, p.principal(), p.reason());
            default -> deadLetter(r, tp, e.type() + " is not a command of the replication coordinator");
        }
    }

    private void hold(TopicPartition tp, long offset) {
        held.add(tp);
        consumer.pause(List.of(tp));
        consumer.seek(tp, offset);
        pending.putIfAbsent(tp, Pending.now());
    }

    private void deadLetter(ConsumerRecord<String, byte[]> r, TopicPartition tp, String reason) {
        LOG.warnf("dead-lettered %s@%d: %s", tp, r.offset(), reason);
        next.put(tp, r.offset() + 1);
        commit(List.of(KafkaRecords.deadLetter(r, reason)), tp);
    }

    private void refuse(Owned o, EventEnvelope e, String kind, NodeName candidate, String code, String reason) {
        LOG.infof("%s: refused %s: %s", o.cluster, e.type(), reason);
        publish(
                o,
                e.correlationId(),
                new FailoverRefused(o.cluster, o.term, kind, o.target, candidate, code, reason, now()));
    }

    private void pause(Owned o, EventEnvelope e, boolean paused, String principal, String reason) {
        o.paused = paused;
        publishTopology(
                o,
                observe(o.cluster),
                (paused ? "paused" : "resumed") + " by " + principal + ": " + reason,
                e.correlationId(),
                List.of());
    }

    private void cancelScheduled(Owned o, EventEnvelope e, SwitchoverCancellationRequested c) {
        if (o.scheduled == null) {
            refuse(o, e, LeadershipChange.SWITCHOVER, null, "nothing-scheduled", "no switchover is scheduled");
            return;
        }
        ScheduledSwitchover was = o.scheduled;
        o.scheduled = null;
        publishTopology(
                o,
                observe(o.cluster),
                "scheduled switchover of " + was.at() + " cancelled by " + c.principal() + ": " + c.reason(),
                e.correlationId(),
                List.of());
    }

    /** Starts the scheduled switchover once its time has come, as the command that asked for it. */
    private void runScheduledIfDue(Owned o) {
        ScheduledSwitchover s = o.scheduled;
        if (s == null || Instant.now().isBefore(s.at())) {
            return;
        }
        o.scheduled = null;
        SwitchoverRequested cmd = new SwitchoverRequested(o.cluster, null, s.to(), null, s.principal(), s.reason());
        EventEnvelope e = new EventEnvelope(
                s.commandId(), SOURCE, io.pgops.events.EventTypes.typeOf(cmd), o.cluster, now(), s.commandId(), cmd);
        LOG.infof("%s: scheduled switchover of %s starts", o.cluster, s.at());
        switchover(o, e, cmd);
    }

    private void reinit(Owned o, EventEnvelope e, ReinitRequested r) {
        if (r.node().equals(o.target)) {
            refuse(
                    o,
                    e,
                    LeadershipChange.MANUAL,
                    r.node(),
                    "is-primary",
                    r.node() + " is the primary; only a standby can be rebuilt");
            return;
        }
        try {
            ClusterState st = observe(o.cluster);
            Optional<AgentReport> pr = st.report(o.target).filter(AgentReport::writable);
            if (pr.isPresent()
                    && pr.get()
                            .replica(r.node())
                            .map(AgentReport.Replica::isSync)
                            .orElse(false)) {
                // commits must not wait for a standby that is being rebuilt
                agents.configure(
                        o.cluster,
                        o.target,
                        o.term,
                        Reconcile.syncNamesWithout(st, o.target, r.node(), config.synchronousCount()),
                        List.of());
            }
            RejoinOutcome out = agents.reinit(o.cluster, r.node(), o.term, o.target);
            publishTopology(
                    o,
                    observe(o.cluster),
                    r.node() + " rebuilt from " + o.target,
                    e.correlationId(),
                    List.of(rejoined(o, r.node(), out)));
        } catch (AgentClient.AgentCallException ex) {
            refuse(o, e, LeadershipChange.MANUAL, r.node(), "reinit-failed", ex.getMessage());
        }
    }

    private StandbyRejoined rejoined(Owned o, NodeName node, RejoinOutcome out) {
        Timeline tl = o.last == null ? Timeline.of(1) : o.last.timeline();
        return new StandbyRejoined(
                o.cluster, o.term, node, o.target, out.method(), tl, null, out.durationMillis(), out.reason(), now());
    }

    private void switchover(Owned o, EventEnvelope e, SwitchoverRequested s) {
        String kind = LeadershipChange.SWITCHOVER;
        if (o.paused) {
            refuse(o, e, kind, s.to(), "paused", o.cluster + " is paused: resume it before a switchover");
            return;
        }
        if (s.scheduledAt() != null && s.scheduledAt().isAfter(Instant.now().plusSeconds(5))) {
            if (o.scheduled != null) {
                refuse(
                        o,
                        e,
                        kind,
                        s.to(),
                        "already-scheduled",
                        "a switchover is already scheduled at " + o.scheduled.at() + " by " + o.scheduled.principal()
                                + "; cancel it first");
                return;
            }
            o.scheduled = new ScheduledSwitchover(s.scheduledAt(), s.to(), s.principal(), s.reason(), e.id());
            publishTopology(
                    o,
                    observe(o.cluster),
                    "switchover" + (s.to() == null ? "" : " to " + s.to()) + " scheduled at " + s.scheduledAt() + " by "
                            + s.principal() + ": " + s.reason(),
                    e.correlationId(),
                    List.of());
            return;
        }
        ClusterState st = observe(o.cluster);
        Optional<AgentReport> pr = st.report(o.target).filter(AgentReport::writable);
        if (pr.isEmpty()) {
            refuse(
                    o,
                    e,
                    kind,
                    s.to(),
                    "primary-not-running",
                    "the primary " + o.target + " is not running as a primary");
            return;
        }
        if (s.from() != null && !s.from().equals(o.target)) {
            refuse(o, e, kind, s.to(), "not-the-primary", s.from() + " is not the primary; " + o.target + " is");
            return;
        }
        CandidateSelection.Decision d = CandidateSelection.choose(
                standbys(o, st, o.target, true, pr),
                pr.get().currentLsn(),
                pr.get().timeline(),
                new FailoverPolicy(false, config.maximumLagOnSwitchover()),
                Optional.ofNullable(s.to()),
                false);
        if (d.action() == CandidateSelection.Decision.Action.REFUSE) {
            refuse(o, e, kind, s.to(), "no-eligible-candidate", d.reason());
            return;
        }
        change(o, e, kind, st, d.candidate(), true, false, d.reason());
    }

    private void promote(Owned o, EventEnvelope e, PromoteRequested p) {
        String kind = LeadershipChange.MANUAL;
        if (p.term() != null && !p.term().equals(o.term)) {
            refuse(
                    o,
                    e,
                    kind,
                    p.node(),
                    "stale-term",
                    "issued against term " + p.term().value() + ", but " + o.cluster + " is at term " + o.term.value()
                            + " now: look at the cluster again and re-issue");
            return;
        }
        ClusterState st = observe(o.cluster);
        if (!st.has(p.node())) {
            refuse(o, e, kind, p.node(), "unknown-node", p.node() + " is not a node of " + o.cluster);
            return;
        }
        Optional<AgentReport> pr = st.report(o.target).filter(AgentReport::writable);
        if (p.node().equals(o.target) && pr.isPresent()) {
            refuse(o, e, kind, p.node(), "already-primary", p.node() + " is already the primary");
            return;
        }
        boolean alive = pr.isPresent();
        Optional<Member> lastPrimary = Optional.ofNullable(o.last).flatMap(t -> t.member(o.target));
        boolean syncMode = alive
                ? !pr.get().synchronousStandbyNames().isBlank()
                : o.last != null && o.last.members().stream().anyMatch(Member::sync);
        Lsn primaryLsn =
                alive ? pr.get().currentLsn() : lastPrimary.map(Member::lsn).orElse(null);
        if (primaryLsn == null) { // unknown: the most any standby holds is the least the primary had
            primaryLsn = st.reports().values().stream()
                    .map(AgentReport::walPosition)
                    .flatMap(Optional::stream)
                    .max(Lsn::compareTo)
                    .orElse(Lsn.ZERO);
        }
        Timeline tl = alive ? pr.get().timeline() : o.last == null ? Timeline.of(1) : o.last.timeline();
        CandidateSelection.Decision d = CandidateSelection.choose(
                standbys(o, st, o.target, false, pr),
                primaryLsn,
                tl,
                new FailoverPolicy(syncMode, config.maximumLagOnFailover()),
                Optional.of(p.node()),
                p.force());
        if (d.action() == CandidateSelection.Decision.Action.REFUSE) {
            refuse(o, e, kind, p.node(), "candidate-not-safe", d.reason());
            return;
        }
        change(
                o,
                e,
                kind,
                st,
                p.node(),
                alive,
                p.force(),
                d.reason() + (p.force() ? " (forced by " + p.principal() + ")" : ""));
    }

    /** The standbys as candidate selection sees them; {@code streamingOnly}: a switchover needs streaming. */
    private static List<MemberState> standbys(
            Owned o, ClusterState st, NodeName primary, boolean streamingOnly, Optional<AgentReport> primaryReport) {
        List<MemberState> list = new ArrayList<>();
        for (NodeSpec n : st.nodes()) {
            if (n.name().equals(primary)) {
                continue;
            }
            Optional<AgentReport> r = st.report(n.name());
            boolean reachable = r.map(a -> a.running() && a.inRecovery() && (!streamingOnly || a.streaming()))
                    .orElse(false);
            // with the primary alive, what it reports now; else what the last topology said
            boolean wasSync = primaryReport.isPresent()
                    ? primaryReport
                            .get()
                            .replica(n.name())
                            .map(AgentReport.Replica::isSync)
                            .orElse(false)
                    : o.last != null
                            && o.last.member(n.name()).map(Member::sync).orElse(false);
            list.add(new MemberState(
                    n.name(),
                    reachable,
                    r.flatMap(AgentReport::walPosition).orElse(Lsn.ZERO),
                    r.map(AgentReport::timeline).orElse(Timeline.of(1)),
                    wasSync,
                    n.nofailover(),
                    n.priority(),
                    reachable
                            ? null
                            : st.whyNotAnswering(n.name())
                                    .orElse(streamingOnly ? "it does not stream" : "it is not a standby")));
        }
        return list;
    }

    /** Whether {@code node} is the synchronous standby: as the primary reports now, else as last recorded. */
    private static boolean wasSync(Owned o, Optional<AgentReport> primary, NodeName node) {
        return primary.filter(AgentReport::running)
                .flatMap(p -> p.replica(node))
                .map(AgentReport.Replica::isSync)
                .orElseGet(() ->
                        o.last != null && o.last.member(node).map(Member::sync).orElse(false));
    }

    /**
     * The leadership change itself. Preparation under the current term (the candidate holds a slot for
     * every other node, the other standbys cascade from it), then the decision (term + 1, target = the
     * candidate: from here the old primary's /primary answers 503 and HAProxy cuts it off), fence the old
     * primary (stop -m fast: its last WAL reaches the streaming standbys), promote the candidate once it
     * replayed past the old primary's shutdown checkpoint, then rejoin the old primary as its standby.
     */
    private void change(
            Owned o,
            EventEnvelope e,
            String kind,
            ClusterState st,
            NodeName cand,
            boolean oldAlive,
            boolean force,
            String why) {
        long t0 = System.nanoTime();
        NodeName old = o.target;
        Term current = o.term;
        List<String> slots = st.nodes().stream()
                .map(NodeSpec::name)
                .filter(n -> !n.equals(cand))
                .map(Slots::of)
                .toList();
        try {
            agents.configure(o.cluster, cand, current, null, slots);
        } catch (AgentClient.AgentCallException ex) {
            refuse(o, e, kind, cand, "candidate-not-ready", "could not prepare " + cand + ": " + ex.getMessage());
            return;
        }
        for (NodeSpec n : st.nodes()) {
            if (n.name().equals(cand) || n.name().equals(old)) {
                continue;
            }
            if (st.report(n.name()).map(r -> r.running() && r.inRecovery()).orElse(false)) {
                try {
                    agents.follow(o.cluster, n.name(), current, cand);
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
        o.target = cand;
        publishTopology(
                o,
                st,
                kind + ": " + old + " → " + cand,
                e.correlationId(),
                List.of(new FailoverStarted(o.cluster, term, kind, old, cand, oldLsn, candLsn, tl, why, now())));
        long tDecided = System.nanoTime();
        haltAfter("started", e);

        Lsn waitPast = null;
        NodeFenced fenced;
        if (oldAlive) {
            try {
                AgentClient.Fence f = agents.fence(o.cluster, old, term);
                waitPast = f.shutdownCheckpoint();
                if (waitPast == null && !force && !wasSync(o, oldReport, cand)) {
                    // no shutdown checkpoint proves what the candidate must replay, and it is not the sync
                    // standby that holds every acknowledged commit: promoting it could lose some
                    giveBack(
                            o,
                            e,
                            kind,
                            old,
                            cand,
                            "fence-unclean",
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
                        now());
            } catch (AgentClient.AgentCallException ex) {
                if (!force) {
                    giveBack(o, e, kind, old, cand, "fencing-failed", "could not stop " + old + ": " + ex.getMessage());
                    return;
                }
                fenced = new NodeFenced(
                        o.cluster,
                        term,
                        old,
                        "traffic-cut",
                        false,
                        "could not stop it (" + ex.getMessage() + "); forced: HAProxy no longer routes to it",
                        now());
            }
        } else {
            boolean down = oldReport.map(AgentReport::stopped).orElse(false);
            fenced = new NodeFenced(
                    o.cluster,
                    term,
                    old,
                    "traffic-cut",
                    down,
                    down
                            ? "its agent reports PostgreSQL down; /primary answers 503 to the new topology"
                            : "unreachable: its agent, if alive, answers 503 on /primary to the new topology, so"
                                    + " HAProxy routes nothing to it",
                    now());
        }
        o.fenced.add(old);
        long tFenced = System.nanoTime();
        haltAfter("fenced", e);
        if (force && !st.report(cand).map(AgentReport::streaming).orElse(false)) {
            waitPast = null; // forced: a standby that does not stream cannot catch up; what it lacks is lost
        }

        String syncNames = Reconcile.syncNamesForNewPrimary(st, cand, old, config.synchronousCount());
        AgentClient.Promotion promotion;
        try {
            promotion = agents.promote(o.cluster, cand, term, waitPast, syncNames);
        } catch (AgentClient.AgentCallException ex) {
            if (ex.outcomeUnknown()) {
                // the promotion may have happened or may still happen: restarting the old primary now could
                // leave two writable nodes. The topology names the candidate; the old primary stays fenced.
                publish(o, e.correlationId(), fenced);
                refuse(
                        o,
                        e,
                        kind,
                        cand,
                        "promote-outcome-unknown",
                        ex.getMessage() + "; " + old + " stays fenced, " + cand + " is the target");
                return;
            }
            if (force && waitPast != null) {
                try {
                    promotion = agents.promote(o.cluster, cand, term, null, syncNames);
                } catch (AgentClient.AgentCallException again) {
                    publish(o, e.correlationId(), fenced);
                    refuse(o, e, kind, cand, "promote-failed", again.getMessage());
                    return;
                }
            } else if (oldAlive) {
                publish(o, e.correlationId(), fenced);
                giveBack(o, e, kind, old, cand, "promote-failed", ex.getMessage());
                return;
            } else {
                publish(o, e.correlationId(), fenced);
                refuse(o, e, kind, cand, "promote-failed", ex.getMessage() + "; the cluster has no primary");
                return;
            }
        }
        long tPromoted = System.nanoTime();
        Lsn switchLsn = Lsn.parse(promotion.switchLsn());
        Timeline newTl = Timeline.of(promotion.newTimeline());
        // a retried promotion of a node that is already primary reports no previous timeline of its own
        Timeline previousTl = promotion.previousTimeline() < promotion.newTimeline()
                ? Timeline.of(promotion.previousTimeline())
                : Timeline.of(Math.max(1, promotion.newTimeline() - 1));
        NodePromoted promoted = new NodePromoted(
                o.cluster, term, cand, previousTl, newTl, switchLsn, promotion.promotionMillis(), now());
        publishTopology(
                o,
                observe(o.cluster),
                cand + " promoted; " + old + " fenced",
                e.correlationId(),
                List.of(fenced, promoted));
        haltAfter("promoted", e);

        List<PgopsEvent> after = new ArrayList<>();
        String rejoinNote = "";
        if (oldAlive) {
            try {
                RejoinOutcome out = agents.rejoin(o.cluster, old, term, cand);
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
                        now()));
                rejoinNote = ", " + old + " rejoined by " + out.method();
            } catch (AgentClient.AgentCallException ex) {
                LOG.warnf("%s: %s did not rejoin yet: %s", o.cluster, old, ex.getMessage());
                rejoinNote = ", " + old + " not rejoined yet";
            }
        }
        long tRejoined = System.nanoTime();
        ClusterState fin = observe(o.cluster);
        for (NodeSpec n : fin.nodes()) {
            if (!n.name().equals(cand)
                    && fin.report(n.name())
                            .map(r -> r.running()
                                    && r.inRecovery()
                                    && !Integer.valueOf(fin.spec(cand).port()).equals(r.upstreamPort()))
                            .orElse(false)) {
                try {
                    agents.follow(o.cluster, n.name(), term, cand);
                } catch (AgentClient.AgentCallException ex) {
                    LOG.warnf("%s: %s does not follow %s yet: %s", o.cluster, n.name(), cand, ex.getMessage());
                }
            }
        }
        Long lost = oldAlive ? Long.valueOf(0) : (oldLsn == null ? null : Math.max(0, oldLsn.bytesSince(switchLsn)));
        if (!oldAlive && lost == null) {
            lost = o.last == null
                    ? null
                    : o.last.member(old)
                            .map(Member::lsn)
                            .map(l -> Math.max(0, l.bytesSince(switchLsn)))
                            .orElse(null);
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        String summary = "fenced " + old + " (" + fenced.method() + "), promoted " + cand + rejoinNote + " (prepare "
                + ms(t0, tDecided) + " ms, fence " + ms(tDecided, tFenced) + " ms, promote " + ms(tFenced, tPromoted)
                + " ms, rejoin " + ms(tPromoted, tRejoined) + " ms)";
        after.add(new FailoverCompleted(
                o.cluster, term, kind, old, cand, newTl, switchLsn, lost, millis, summary, now()));
        publishTopology(o, observe(o.cluster), summary, e.correlationId(), after);
    }

    /** A change failed before the candidate was promoted: the old primary gets its role back, in a new term. */
    private void giveBack(Owned o, EventEnvelope e, String kind, NodeName old, NodeName cand, String code, String why) {
        o.term = o.term.next();
        o.target = old;
        o.fenced.remove(old);
        publishTopology(
                o,
                observe(o.cluster),
                "aborted, " + old + " stays primary: " + why,
                e.correlationId(),
                List.of(new FailoverRefused(o.cluster, o.term, kind, old, cand, code, why, now())));
        try {
            agents.start(o.cluster, old, o.term);
        } catch (AgentClient.AgentCallException ex) {
            LOG.warnf("%s: could not restart %s: %s", o.cluster, old, ex.getMessage());
        }
    }

    // ---- between commands ---------------------------------------------------------------------------------

    private void reconcile(Owned o) {
        runScheduledIfDue(o);
        ClusterState st = observe(o.cluster);
        if (!o.paused) {
            long nowNanos = System.nanoTime();
            Set<NodeName> stuck = new HashSet<>();
            for (NodeSpec n : st.nodes()) {
                boolean notStreaming = st.report(n.name())
                        .map(r -> r.running() && r.inRecovery() && !r.streaming())
                        .orElse(false);
                if (!notStreaming) {
                    o.notStreamingSince.remove(n.name());
                } else if (nowNanos - o.notStreamingSince.computeIfAbsent(n.name(), k -> nowNanos)
                        > config.standbyPatience().toNanos()) {
                    stuck.add(n.name());
                }
            }
            List<Reconcile.Step> steps = Reconcile.plan(st, o.target, config.synchronousCount(), stuck);
            List<PgopsEvent> events = new ArrayList<>();
            for (Reconcile.Step step : steps) {
                try {
                    switch (step) {
                        case Reconcile.Start s -> agents.start(o.cluster, s.node(), o.term);
                        case Reconcile.Follow f -> agents.follow(o.cluster, f.node(), o.term, o.target);
                        case Reconcile.Configure c ->
                            agents.configure(o.cluster, c.node(), o.term, c.synchronousStandbyNames(), c.createSlots());
                        case Reconcile.Rejoin r -> {
                            RejoinOutcome out = agents.rejoin(o.cluster, r.node(), o.term, o.target);
                            o.fenced.remove(r.node());
                            o.notStreamingSince.remove(r.node());
                            events.add(rejoined(o, r.node(), out));
                        }
                    }
                    LOG.infof("%s: %s", o.cluster, step.reason());
                } catch (AgentClient.AgentCallException ex) {
                    LOG.warnf("%s: %s: %s", o.cluster, step.reason(), ex.getMessage());
                }
            }
            if (!steps.isEmpty()) {
                st = observe(o.cluster);
            }
            if (!events.isEmpty()) {
                publishTopology(
                        o,
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
        TopologyChanged now = topology(o, st, "observed");
        if (o.last == null
                || !ClusterState.shape(now.members()).equals(ClusterState.shape(o.last.members()))
                || !java.util.Objects.equals(now.currentPrimary(), o.last.currentPrimary())) {
            publishTopology(o, st, "observed change", null, List.of());
        } else if (System.nanoTime() - o.positionsPublishedNanos
                        > config.positionsRefresh().toNanos()
                && !now.members().equals(o.last.members())) {
            // only WAL positions and lag moved: refresh the compacted topology (the current state), not
            // the events topic, which carries changes
            EventEnvelope env = EventEnvelope.wrap(topology(o, st, "positions refreshed"), SOURCE, null);
            commit(List.of(KafkaRecords.of(Topics.TOPOLOGY, env)), o.partition);
            o.last = (TopologyChanged) env.data();
            o.positionsPublishedNanos = System.nanoTime();
        }
    }

    private static long ms(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private KafkaConsumer<String, byte[]> newConsumer() {
        long session = config.sessionTimeout().toMillis();
        return kafka.consumer(
                "pgops-coordinator-" + instance,
                Map.of(
                        ConsumerConfig.GROUP_ID_CONFIG, config.group(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                        ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(session),
                        ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Long.toString(session / 3),
                        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                                CooperativeStickyAssignor.class.getName()));
    }
}
