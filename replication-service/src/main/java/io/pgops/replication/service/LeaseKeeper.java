package io.pgops.replication.service;

import io.pgops.events.EventEnvelope;
import io.pgops.events.EventIds;
import io.pgops.events.MalformedEventException;
import io.pgops.events.Topics;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Term;
import io.pgops.events.replication.LeaseAsked;
import io.pgops.events.replication.LeaseGranted;
import io.pgops.events.replication.NodeFenced;
import io.pgops.events.replication.TopologyChanged;
import io.pgops.kit.inventory.Inventory;
import io.pgops.kit.messaging.KafkaClients;
import io.pgops.replication.config.AgentConfig;
import io.pgops.replication.domain.Lease;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Keeps the lease of the primary this agent sits beside, on three threads: one asks the owning coordinator for a
 * renewal every third of the ttl ({@code LeaseAsked} on {@code pgops.replication.leases}); one reads the grants
 * (committed only, so a fenced coordinator's never count); one watches the lease every 100 ms. When the lease
 * is about to run out without a grant (Kafka unreachable), the watch asks every other agent of the cluster to
 * confirm the primary directly (the failsafe); when it ran out all the same, the watch stops PostgreSQL
 * ({@code pg_ctl stop -m immediate}, then SIGKILL of the postmaster after 1 s) and reports it.
 */
@ApplicationScoped
public class LeaseKeeper {
    private static final Logger LOG = Logger.getLogger(LeaseKeeper.class);
    private static final String SOURCE = "/pgops/replication-service";
    private static final Duration WATCH = Duration.ofMillis(100);
    private static final int REMEMBERED = 64;

    private final AgentNode agent;
    private final TopologyView view;
    private final PrimaryLease lease;
    private final ReplicationMetrics metrics;
    private final KafkaClients kafka;
    private final AgentClient agents;
    private final Inventory inventory;
    private final CommandPublisher publisher;
    private final LocalNode node;
    private final boolean enforce;
    /** Request id → when it was sent (nanoTime): a grant counts from when its request left. */
    private final Map<String, Long> sent = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> e) {
            return size() > REMEMBERED;
        }
    };

    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private KafkaProducer<String, byte[]> producer;
    private long lastFailsafeNanos;
    /** The lease credential of the last grant (null before the first, or from a coordinator that cannot sign). */
    private volatile String credential;
    /** The term {@link #credential} was granted under. */
    private volatile Term credentialTerm = Term.ZERO;

    private final List<Thread> threads = new ArrayList<>();

    public LeaseKeeper(
            AgentNode agent,
            TopologyView view,
            PrimaryLease lease,
            KafkaClients kafka,
            AgentClient agents,
            Inventory inventory,
            CommandPublisher publisher,
            LocalNode node,
            AgentConfig config,
            ReplicationMetrics metrics) {
        this.agent = agent;
        this.view = view;
        this.lease = lease;
        this.kafka = kafka;
        this.agents = agents;
        this.inventory = inventory;
        this.publisher = publisher;
        this.node = node;
        this.enforce = config.lease().enforce();
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent e) {
        if (!agent.isAgent()) {
            return;
        }
        threads.add(thread("pgops-lease-ask", this::askLoop));
        threads.add(thread("pgops-lease-grants", this::grantLoop));
        threads.add(thread("pgops-lease-watch", this::watchLoop));
        threads.forEach(Thread::start);
    }

    void stop(@Observes ShutdownEvent e) {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        threads.forEach(Thread::interrupt);
        synchronized (this) {
            if (producer != null) {
                producer.close(Duration.ZERO);
            }
        }
    }

    private static Thread thread(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Whether the newest committed topology this agent has read names its node the target primary. */
    private boolean targetIsMe() {
        return view.latest(agent.cluster())
                .map(TopologyChanged::targetPrimary)
                .map(agent.node()::equals)
                .orElse(false);
    }

    // ---- asking --------------------------------------------------------------------------------------------

    private void askLoop() {
        long every = lease.ttl().toNanos() / 3;
        while (running) {
            try {
                if (agent.isReady() && targetIsMe()) {
                    ask();
                }
            } catch (RuntimeException ex) {
                LOG.debugf("%s/%s: lease request not sent: %s", agent.cluster(), agent.node(), ex);
            }
            if (!pause(every)) {
                return;
            }
        }
    }

    private void ask() {
        String id = EventIds.newId();
        long at = System.nanoTime();
        synchronized (sent) {
            sent.put(id, at);
        }
        LeaseAsked a = new LeaseAsked(
                agent.cluster(),
                agent.highestTerm(),
                agent.node(),
                id,
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        producer().send(KafkaRecords.of(Topics.REPLICATION_LEASES, EventEnvelope.wrap(a, SOURCE, null)));
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            long ttl = lease.ttl().toMillis();
            // a request that cannot leave within a third of the ttl is worth nothing: never block the loop longer
            producer = kafka.producer(
                    "pgops-lease-" + agent.node().value(),
                    Map.of(
                            ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(Math.max(100, ttl / 6)),
                            ProducerConfig.LINGER_MS_CONFIG, "0",
                            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.max(500, ttl / 2)),
                            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(Math.max(1000, ttl))));
        }
        return producer;
    }

    // ---- grants --------------------------------------------------------------------------------------------

    private void grantLoop() {
        while (running) {
            try (KafkaConsumer<String, byte[]> c = kafka.consumer(
                    "pgops-lease-grants-" + agent.node().value(),
                    Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"))) {
                consumer = c;
                int partitions = c.partitionsFor(Topics.REPLICATION_LEASES).size();
                TopicPartition tp = new TopicPartition(
                        Topics.REPLICATION_LEASES, Coordinator.partitionOf(agent.cluster(), partitions));
                c.assign(List.of(tp));
                c.seekToEnd(List.of(tp));
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(50))) {
                        read(r);
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("%s/%s: reading lease grants failed (%s); again in 1 s", agent.cluster(), agent.node(), e);
                if (!pause(TimeUnit.SECONDS.toNanos(1))) {
                    return;
                }
            } finally {
                consumer = null;
            }
        }
    }

    private void read(ConsumerRecord<String, byte[]> r) {
        EventEnvelope e;
        try {
            e = KafkaRecords.decode(r);
        } catch (MalformedEventException ex) {
            return; // not for this agent to dead-letter: the coordinator does for the requests it reads
        }
        if (!(e.data() instanceof LeaseGranted g)
                || !g.cluster().equals(agent.cluster())
                || !g.node().equals(agent.node())) {
            return;
        }
        Long at;
        synchronized (sent) {
            at = sent.get(g.requestId());
        }
        if (at == null
                && targetIsMe()
                && g.requestId().startsWith(OwnedCluster.TAKEOVER_CREDENTIAL)
                && g.credential() != null
                && g.term().compareTo(credentialTerm) > 0) {
            // a new owner's credential of its term: the failsafe may show it; the lease itself is not renewed
            credential = g.credential();
            credentialTerm = g.term();
            LOG.infof(
                    "%s/%s: lease credential of term %d from %s, which took the cluster over",
                    agent.cluster(), agent.node(), g.term().value(), g.coordinator());
            return;
        }
        if (at == null || !targetIsMe()) {
            return; // not a request of this life, or no longer the primary
        }
        lease.grant(at, "granted by " + g.coordinator() + " in term " + g.term().value());
        if (g.credential() != null) {
            credential = g.credential(); // shown to the other agents should Kafka go away (the failsafe)
            credentialTerm = g.term();
        }
    }

    // ---- the watch -----------------------------------------------------------------------------------------

    private void watchLoop() {
        while (running) {
            try {
                watch();
            } catch (RuntimeException ex) {
                LOG.warnf("%s/%s: lease watch: %s", agent.cluster(), agent.node(), ex.toString());
            }
            if (!pause(WATCH.toNanos())) {
                return;
            }
        }
    }

    private void watch() {
        Lease.Look look = lease.look();
        metrics.lease(agent.cluster(), agent.node(), look);
        if (look.state() == Lease.State.NONE) {
            return;
        }
        if (look.state() != Lease.State.EXPIRED) {
            if (targetIsMe() && look.remainingMillis() <= lease.ttl().toMillis() / 2) {
                // a renewal is overdue (they come every ttl/3): the coordinator cannot be reached; ask the others
                // while more than the guard is left, so /primary does not turn 503 on the way
                failsafe(look);
            }
            return;
        }
        // ran out: stopped at once, no last question asked (the coordinator counts on the end of the ttl)
        if (agent.postmasterPid().isEmpty() || !enforce) {
            lease.clear();
            return;
        }
        // a node that became a standby meanwhile (switched over, rejoined) is left alone; a writable one, or one
        // that does not answer, is stopped
        // (asked briefly: the coordinator's margin after the lease's end is a few hundred ms)
        boolean standby;
        try {
            standby = node.status(false)
                    .map(st -> st.running() && st.inRecovery())
                    .await()
                    .atMost(Duration.ofMillis(150));
        } catch (RuntimeException slow) {
            standby = false;
        }
        if (!standby) {
            stop(look.reason());
        }
        lease.clear();
    }

    /**
     * The lease could not be renewed through the coordinator: keep it only if every other agent of the cluster
     * confirms, directly, that the topology it has read names this node (each then refuses promotion and
     * following another primary for a ttl).
     */
    private void failsafe(Lease.Look look) {
        long now = System.nanoTime();
        if (now - lastFailsafeNanos < lease.ttl().toNanos() / 6) {
            return;
        }
        lastFailsafeNanos = now;
        Term term = agent.highestTerm();
        List<NodeName> peers = inventory.clusters().get(agent.cluster().value()).nodes().keySet().stream()
                .map(NodeName::of)
                .filter(n -> !n.equals(agent.node()))
                .toList();
        String shown = credential;
        long askedAt = System.nanoTime();
        // the answers are awaited as long as the lease lasts, and no longer: the watch must be back to stop it in
        // time (a starved machine answers slowly; a peer that is gone refuses the connection at once)
        long left = Math.max(0, look.remainingMillis() - 50);
        Duration timeout = Duration.ofMillis(Math.max(200, left));
        long waitMillis = left;
        List<CompletableFuture<String>> answers = peers.stream()
                .map(p -> CompletableFuture.supplyAsync(
                        () -> agents.confirmLease(agent.cluster(), p, term, agent.node(), shown, timeout)))
                .toList();
        List<String> refusals = new ArrayList<>();
        for (int i = 0; i < peers.size(); i++) {
            try {
                long wait = Math.max(0, waitMillis - (System.nanoTime() - askedAt) / 1_000_000);
                String refusal = answers.get(i).get(wait, TimeUnit.MILLISECONDS);
                if (refusal != null) {
                    refusals.add(peers.get(i) + ": " + refusal);
                }
            } catch (Exception ex) {
                refusals.add(peers.get(i) + ": no answer (" + ex.getClass().getSimpleName() + ")");
            }
        }
        if (refusals.isEmpty()) {
            lease.grant(askedAt, "failsafe: every other agent confirmed " + agent.node());
            LOG.infof(
                    "%s/%s: lease kept by the failsafe (%s; every other agent confirmed)",
                    agent.cluster(), agent.node(), look.reason());
        } else {
            LOG.warnf(
                    "%s/%s: %s, and the failsafe did not hold: %s",
                    agent.cluster(), agent.node(), look.reason(), String.join("; ", refusals));
        }
    }

    private void stop(String why) {
        Optional<Long> pid = agent.postmasterPid();
        if (pid.isEmpty()) {
            return;
        }
        String reason = why + "; not renewed by the coordinator nor confirmed by every other agent: " + agent.node()
                + " stopped with pg_ctl stop -m immediate (SIGKILL after 1 s)";
        LOG.errorf("%s/%s: %s", agent.cluster(), agent.node(), reason);
        agent.stopForLease(pid.get());
        NodeFenced fenced = new NodeFenced(
                agent.cluster(),
                agent.highestTerm(),
                agent.node(),
                "lease-expired",
                true,
                reason,
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        // Kafka may well be what is unreachable: the fact is published once it is back (retried for up to an hour)
        thread("pgops-lease-report", () -> {
                    long until = System.nanoTime() + TimeUnit.HOURS.toNanos(1);
                    while (running && System.nanoTime() < until) {
                        try {
                            publisher.publish(fenced);
                            return;
                        } catch (RuntimeException ex) {
                            LOG.warnf(
                                    "%s/%s: the stop could not be reported yet (%s); again in 2 s",
                                    agent.cluster(), agent.node(), ex.getMessage());
                            if (!pause(TimeUnit.SECONDS.toNanos(2))) {
                                return;
                            }
                        }
                    }
                })
                .start();
    }

    private boolean pause(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
            return running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
