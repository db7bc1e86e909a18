package io.pgops.replication.service;

import io.pgops.events.EventEnvelope;
import io.pgops.events.MalformedEventException;
import io.pgops.events.Topics;
import io.pgops.events.replication.LeaseAsked;
import io.pgops.kit.messaging.KafkaClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * The coordinator's side of the primary's lease, on a thread of its own so that a long change of a cluster (a
 * rebuild takes minutes) never starves its primary's lease: it reads {@code LeaseAsked} on {@code
 * pgops.replication.leases} from the end, and for each cluster decided here answers with a {@code LeaseGranted}
 * committed on the cluster's partition like every other decision ({@link OwnedCluster#grant}).
 */
final class LeaseDesk {
    private static final Logger LOG = Logger.getLogger(LeaseDesk.class);
    /** How often the desk asks whether the broker answers ({@link KafkaReach}), and how long it waits. */
    private static final long REACH_EVERY_NANOS = 400_000_000L;

    private static final Duration REACH_TIMEOUT = Duration.ofMillis(500);

    /** The clusters decided here, and how to commit on a partition of the commands topic. */
    interface Owners {
        Optional<OwnedCluster> owned(io.pgops.events.model.ClusterId cluster);

        /** A deciding cluster's partition of the commands topic with this number, for dead letters. */
        Optional<TopicPartition> ownedPartition(int partition);

        void deadLetter(TopicPartition commands, ConsumerRecord<String, byte[]> r, String reason);

        void lost(TopicPartition tp, LostOwnership why);
    }

    private final KafkaClients kafka;
    private final String instance;
    private final Owners owners;
    private final KafkaReach reach;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    LeaseDesk(KafkaClients kafka, String instance, KafkaReach reach, Owners owners) {
        this.kafka = kafka;
        this.instance = instance;
        this.reach = reach;
        this.owners = owners;
    }

    void start() {
        thread = new Thread(this::run, "pgops-lease-desk");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, byte[]> c = kafka.consumer(
                    "pgops-lease-desk-" + instance, Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"))) {
                consumer = c;
                List<TopicPartition> parts = c.partitionsFor(Topics.REPLICATION_LEASES).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition()))
                        .toList();
                c.assign(parts);
                c.seekToEnd(parts); // a request older than this start is answered by no one: the agent asks again
                long lookedNanos = 0;
                while (running) {
                    var records = c.poll(Duration.ofMillis(50));
                    long read =
                            System.nanoTime(); // after the agent sent each request: its lease ends before read + ttl
                    for (ConsumerRecord<String, byte[]> r : records) {
                        handle(r, read);
                    }
                    if (read - lookedNanos >= REACH_EVERY_NANOS) {
                        lookedNanos = read;
                        lookAtBroker(c, parts);
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("%s: the lease desk stopped (%s); again in 1 s", instance, e.toString());
                try {
                    TimeUnit.SECONDS.sleep(1);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            } finally {
                consumer = null;
            }
        }
    }

    /**
     * Asks the broker for the leases topic's end offsets: an answer means Kafka answers this coordinator (poll
     * alone says nothing: it returns empty when the broker is away).
     */
    private void lookAtBroker(KafkaConsumer<String, byte[]> c, List<TopicPartition> parts) {
        try {
            c.endOffsets(parts, REACH_TIMEOUT);
            reach.answered(System.nanoTime());
        } catch (TimeoutException e) {
            LOG.debugf("%s: Kafka did not answer the lease desk within %s", instance, REACH_TIMEOUT);
        }
    }

    private void handle(ConsumerRecord<String, byte[]> r, long readNanos) {
        EventEnvelope e;
        try {
            e = KafkaRecords.decode(r);
        } catch (MalformedEventException ex) {
            owners.ownedPartition(r.partition()).ifPresent(tp -> owners.deadLetter(tp, r, ex.getMessage()));
            return;
        }
        if (!(e.data() instanceof LeaseAsked a)) {
            return; // a grant (this desk's own, or another owner's)
        }
        Optional<OwnedCluster> o = owners.owned(a.cluster());
        if (o.isEmpty()) {
            return;
        }
        try {
            o.get().grant(a, readNanos);
        } catch (LostOwnership ex) {
            owners.lost(o.get().partition, ex);
        } catch (RuntimeException ex) {
            LOG.warnf("%s: no lease granted to %s/%s: %s", instance, a.cluster(), a.node(), ex.toString());
        }
    }
}
