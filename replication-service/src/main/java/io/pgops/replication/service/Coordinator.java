package io.pgops.replication.service;

import io.pgops.events.EventEnvelope;
import io.pgops.events.MalformedEventException;
import io.pgops.events.Topics;
import io.pgops.events.model.ClusterId;
import io.pgops.kit.inventory.Inventory;
import io.pgops.kit.messaging.KafkaClients;
import io.pgops.replication.config.AgentConfig;
import io.pgops.replication.config.CoordinatorConfig;
import io.pgops.replication.domain.CommandRules;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
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
 * The Kafka session of the one decider per cluster. Coordinators form one consumer group on {@code
 * pgops.replication.commands} (key = cluster id); the owner of a cluster's partition decides for it, each
 * cluster in its own {@link ClusterWorker} loop. Every decision is produced in a Kafka transaction on the
 * partition's producer together with the partition's consumed offset and the group's metadata (KIP-447),
 * so a coordinator that lost its partition (paused, partitioned) fails to commit, and agents, which read
 * committed records only, never act on its term. This thread only polls: it hands each command to its
 * cluster's worker, takes partitions over (and over again, with backoff, when a takeover failed) and
 * answers for the offsets: the committed offset of a partition never passes a command not yet handled.
 */
@ApplicationScoped
public class Coordinator {
    private static final Logger LOG = Logger.getLogger(Coordinator.class);

    private final Inventory inventory;
    private final CoordinatorConfig config;
    private final AgentConfig agentConfig;
    private final KafkaClients kafka;
    private final String instance;
    private final PartitionTransactions.BeforeCommit beforeCommit;
    private final Coordination coordination;

    private final Map<ClusterId, ClusterWorker> workers = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Offsets> offsets = new ConcurrentHashMap<>();
    /** Work the workers hand to the poll thread (the consumer is not thread-safe). */
    private final ConcurrentLinkedQueue<Runnable> onPollThread = new ConcurrentLinkedQueue<>();

    private final AtomicInteger assigned = new AtomicInteger();
    // the poll thread's own state
    private final Map<TopicPartition, Pending> pending = new HashMap<>();
    private final Map<TopicPartition, Pending> backoff = new HashMap<>();
    private final Set<TopicPartition> paused = new HashSet<>();
    private long generation;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile ConsumerGroupMetadata groupMetadata;
    private volatile PartitionTransactions tx;
    private Thread thread;
    private final LeaseDesk leases;

    public Coordinator(
            Inventory inventory,
            CoordinatorConfig config,
            AgentConfig agentConfig,
            AgentClient agents,
            TopologyView view,
            PrimaryProbe probe,
            KafkaClients kafka,
            ReplicationMetrics metrics,
            @ConfigProperty(name = "pgops.instance") String instance) {
        this.inventory = inventory;
        this.config = config;
        this.agentConfig = agentConfig;
        this.kafka = kafka;
        this.instance = instance;
        this.beforeCommit =
                config.haltBeforeCommit().map(PartitionTransactions::haltOn).orElse(null);
        Coordination.LostHandler lost = (tp, why) -> onPollThread.add(() -> lose(tp, why));
        this.coordination = new Coordination(
                inventory, config, agents, view, probe, instance, this::commit, lost, metrics, new KafkaReach());
        this.leases =
                new LeaseDesk(kafka, instance, coordination.reach(), new DecidingClusters(workers, this::commit, lost));
    }

    public boolean enabled() {
        return config.enabled().orElse(agentConfig.node().isEmpty());
    }

    /** How many partitions of the commands topic are assigned to this instance now. */
    public int assignedPartitions() {
        return Math.max(0, assigned.get());
    }

    /** The clusters this instance decides for now. */
    public Set<ClusterId> ownedClusters() {
        return workers.values().stream()
                .filter(ClusterWorker::deciding)
                .map(w -> w.cluster)
                .collect(Collectors.toUnmodifiableSet());
    }

    public String instance() {
        return instance;
    }

    /** A health breach of a cluster decided here: its loop looks at once (see {@link HealthBreaches}). */
    public void breach(ClusterId cluster, io.pgops.events.model.NodeName node, String correlationId) {
        ClusterWorker w = workers.get(cluster);
        if (w != null && w.deciding()) {
            w.breach(node, correlationId);
        }
    }

    static int partitionOf(ClusterId cluster, int partitions) {
        return Utils.toPositive(Utils.murmur2(cluster.value().getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    void start(@Observes StartupEvent e) {
        if (!enabled()) {
            return;
        }
        thread = new Thread(this::run, "pgops-coordinator");
        thread.setDaemon(true);
        thread.start();
        leases.start();
    }

    void stop(@Observes ShutdownEvent e) {
        running = false;
        leases.stop();
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
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
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
                    release(parts, "revoked");
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> parts) {
                    release(parts, "lost");
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> parts) {
                    assigned.addAndGet(parts.size());
                    generation++;
                    for (TopicPartition tp : parts) {
                        offsets.put(tp, new Offsets(c.position(tp)));
                        pending.put(tp, Pending.now());
                    }
                }
            });
            while (running) {
                var records = c.poll(Duration.ofMillis(200));
                groupMetadata = c.groupMetadata();
                for (Runnable r; (r = onPollThread.poll()) != null; ) {
                    r.run();
                }
                takeOverDue();
                for (ConsumerRecord<String, byte[]> r : records) {
                    dispatch(r);
                }
            }
        } finally {
            workers.values().forEach(ClusterWorker::stop);
            workers.clear();
            offsets.clear();
            pending.clear();
            backoff.clear();
            paused.clear();
            onPollThread.clear();
            assigned.set(0);
            consumer = null;
            groupMetadata = null;
            tx = null;
        }
    }

    /** The partitions left this instance: their clusters are no longer decided here. */
    private void release(Collection<TopicPartition> parts, String why) {
        assigned.addAndGet(-parts.size());
        for (TopicPartition tp : parts) {
            stopWorkersOf(tp, why);
            offsets.remove(tp);
            pending.remove(tp);
            backoff.remove(tp);
            paused.remove(tp);
            tx.close(tp);
        }
    }

    private void stopWorkersOf(TopicPartition tp, String why) {
        for (ClusterWorker w : workers.values()) {
            if (w.partition.equals(tp) && w.running()) {
                LOG.infof("%s: no longer the coordinator of %s (%s)", instance, w.cluster, why);
                w.stop();
            }
        }
    }

    /**
     * A decision on {@code tp} was not committed. Its clusters are dropped, the partition is read again
     * from its lowest unhandled command once they are taken over again: after a backoff, and after a fence
     * only once a rebalance has confirmed the assignment (this instance rejoins the group at once to find
     * out).
     */
    private void lose(TopicPartition tp, LostOwnership ex) {
        if (workers.values().stream().noneMatch(w -> w.partition.equals(tp) && w.running())
                && pending.containsKey(tp)) {
            return; // already dropped; another worker of the partition reported the same loss
        }
        LOG.warnf("lost %s: %s", tp, ex.getMessage());
        stopWorkersOf(tp, ex.fenced ? "fenced" : "not committed");
        Offsets o = offsets.get(tp);
        if (o == null) {
            return; // no longer assigned
        }
        long from = o.safe();
        o.inFlight.clear();
        o.next = from;
        consumer.pause(List.of(tp));
        consumer.seek(tp, from);
        paused.add(tp);
        Pending p = backoff.getOrDefault(tp, Pending.now()).next(ex.fenced, generation);
        backoff.put(tp, p);
        pending.put(tp, p);
        if (ex.fenced) {
            tx.close(tp);
            consumer.enforceRebalance("a decision on " + tp + " was fenced");
        }
    }

    /** Takes over the clusters of every assigned partition whose (next) attempt is due. */
    private void takeOverDue() {
        long now = System.nanoTime();
        backoff.keySet()
                .removeIf(tp -> !pending.containsKey(tp)
                        && clustersOf(tp).stream().allMatch(cl -> {
                            ClusterWorker w = workers.get(cl);
                            return w != null && w.deciding();
                        }));
        for (var e : List.copyOf(pending.entrySet())) {
            TopicPartition tp = e.getKey();
            Pending p = e.getValue();
            if (now - p.atNanos() < 0 || generation < p.afterGeneration() || !offsets.containsKey(tp)) {
                continue;
            }
            if (workers.values().stream().anyMatch(w -> w.partition.equals(tp) && w.alive())) {
                continue; // the previous loops end first: never two deciders of one cluster here
            }
            try {
                tx.open(tp);
            } catch (PartitionTransactions.NotCommitted ex) {
                LOG.warnf(
                        "could not take the clusters of %s over (attempt %d): %s",
                        tp, p.attempt() + 1, ex.getMessage());
                pending.remove(tp);
                lose(tp, new LostOwnership(ex.getMessage(), ex.fenced, ex));
                continue;
            }
            for (ClusterId cluster : clustersOf(tp)) {
                ClusterWorker w = new ClusterWorker(cluster, tp, coordination, this::handled);
                workers.put(cluster, w);
                w.start();
            }
            pending.remove(tp);
            if (paused.remove(tp)) {
                consumer.resume(List.of(tp));
            }
        }
    }

    private List<ClusterId> clustersOf(TopicPartition tp) {
        int partitions = consumer.partitionsFor(tp.topic()).size();
        return inventory.clusters().keySet().stream()
                .map(ClusterId::of)
                .filter(cl -> partitionOf(cl, partitions) == tp.partition())
                .toList();
    }

    private void dispatch(ConsumerRecord<String, byte[]> r) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        Offsets o = offsets.get(tp);
        if (o == null || paused.contains(tp)) {
            return; // not ours, or read again once its clusters are taken over
        }
        EventEnvelope e;
        try {
            e = KafkaRecords.decode(r);
        } catch (MalformedEventException ex) {
            deadLetter(r, tp, o, ex.getMessage());
            return;
        }
        if (!inventory.clusters().containsKey(e.subject().value())) {
            deadLetter(r, tp, o, "cluster " + e.subject() + " is not in this coordinator's inventory");
            return;
        }
        if (!CommandRules.isCommand(e.data())) {
            deadLetter(r, tp, o, e.type() + " is not a command of the replication coordinator");
            return;
        }
        ClusterWorker w = workers.get(e.subject());
        if (w == null || !w.running() || !w.partition.equals(tp)) {
            hold(tp, r.offset());
            return;
        }
        o.inFlight.add(r.offset());
        o.next = r.offset() + 1;
        w.offer(e, r.offset());
    }

    /** Read it again once the partition's clusters are taken over. */
    private void hold(TopicPartition tp, long offset) {
        LOG.infof("a command on %s arrived before its cluster's takeover; held until then", tp);
        consumer.pause(List.of(tp));
        consumer.seek(tp, offset);
        paused.add(tp);
        offsets.get(tp).next = offset;
        pending.putIfAbsent(tp, Pending.now());
    }

    private void deadLetter(ConsumerRecord<String, byte[]> r, TopicPartition tp, Offsets o, String reason) {
        if (!tx.isOpen(tp)) {
            hold(tp, r.offset());
            return;
        }
        LOG.warnf("dead-lettered %s@%d: %s", tp, r.offset(), reason);
        o.next = r.offset() + 1;
        try {
            commit(tp, List.of(KafkaRecords.deadLetter(r, reason)));
        } catch (LostOwnership ex) {
            lose(tp, ex);
        }
    }

    /** A worker handled the command read at {@code offset}: the committed offset may pass it now. */
    private void handled(TopicPartition tp, long offset) {
        Offsets o = offsets.get(tp);
        if (o != null) {
            o.inFlight.remove(offset);
        }
    }

    /** One transaction on the partition's producer: the records and the partition's lowest unhandled offset. */
    private void commit(TopicPartition tp, List<ProducerRecord<String, byte[]>> records) {
        PartitionTransactions t = tx;
        Offsets o = offsets.get(tp);
        ConsumerGroupMetadata group = groupMetadata;
        if (t == null || o == null || group == null) {
            throw new LostOwnership(tp + " is not assigned to " + instance, false, null);
        }
        try {
            t.commit(tp, records, o.safe(), group);
        } catch (PartitionTransactions.NotCommitted e) {
            throw new LostOwnership(e.getMessage(), e.fenced, e);
        }
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
