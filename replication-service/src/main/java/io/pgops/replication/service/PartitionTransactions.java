package io.pgops.replication.service;

import io.pgops.kit.messaging.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.jboss.logging.Logger;

/**
 * One transactional producer per owned partition of the commands topic, under a {@code transactional.id}
 * that belongs to the partition, not to the instance ({@code <group>-p<n>}). Whoever takes a partition
 * over opens its producer first: {@code initTransactions} fences the previous owner's producer and
 * aborts the transaction it may have left open, so a coordinator killed between send and commit holds
 * back read-committed readers of {@code pgops.topology} only until its successor arrives (and at most
 * the short transaction timeout when none does), never for Kafka's default minute.
 *
 * <p>Thread-safe: the clusters' worker threads commit, the poll thread opens and closes; one call at a
 * time.
 */
final class PartitionTransactions implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PartitionTransactions.class);

    /** A decision was not committed. {@code fenced}: another producer or group generation owns the partition. */
    static final class NotCommitted extends RuntimeException {
        final boolean fenced;

        NotCommitted(String message, boolean fenced, Throwable cause) {
            super(message, cause);
            this.fenced = fenced;
        }
    }

    /** Lets a test place a crash between send and commit; production never sets one. */
    interface BeforeCommit {
        void sent(TopicPartition tp, List<ProducerRecord<String, byte[]>> records);
    }

    /**
     * The test hook that places a crash between send and commit: halts the JVM, as SIGKILL would, once a
     * transaction holding a record that contains {@code marker} has reached the broker.
     */
    static BeforeCommit haltOn(String marker) {
        return (tp, records) -> {
            for (ProducerRecord<String, byte[]> r : records) {
                if (r.value() != null && new String(r.value(), StandardCharsets.UTF_8).contains(marker)) {
                    LOG.warnf("halting before the commit of a transaction on %s (test hook)", tp);
                    Runtime.getRuntime().halt(137);
                }
            }
        };
    }

    private final KafkaClients clients;
    private final String group;
    private final String instance;
    private final Duration transactionTimeout;
    private final BeforeCommit beforeCommit;
    private final Map<TopicPartition, KafkaProducer<String, byte[]>> producers = new HashMap<>();

    PartitionTransactions(
            KafkaClients clients,
            String group,
            String instance,
            Duration transactionTimeout,
            BeforeCommit beforeCommit) {
        this.clients = clients;
        this.group = group;
        this.instance = instance;
        this.transactionTimeout = transactionTimeout;
        this.beforeCommit = beforeCommit;
    }

    static String transactionalId(String group, TopicPartition tp) {
        return group + "-p" + tp.partition();
    }

    /**
     * The partition's producer, opened (and its predecessor fenced) if this instance has none yet.
     *
     * @throws NotCommitted when the producer cannot be opened
     */
    synchronized void open(TopicPartition tp) {
        if (producers.containsKey(tp)) {
            return;
        }
        String id = transactionalId(group, tp);
        KafkaProducer<String, byte[]> p = clients.transactionalProducer(id, transactionTimeout, id + "-" + instance);
        try {
            p.initTransactions();
        } catch (KafkaException e) {
            p.close(Duration.ZERO);
            throw new NotCommitted("could not open the transactions of " + id + ": " + e, false, e);
        }
        producers.put(tp, p);
    }

    synchronized boolean isOpen(TopicPartition tp) {
        return producers.containsKey(tp);
    }

    /** Closes the partition's producer (ownership revoked, lost or fenced). */
    synchronized void close(TopicPartition tp) {
        Optional.ofNullable(producers.remove(tp)).ifPresent(p -> p.close(Duration.ZERO));
    }

    /**
     * One transaction on the partition's producer: the records and the partition's consumed offset,
     * under the group's generation (KIP-447), so a coordinator that lost the partition cannot commit.
     */
    synchronized void commit(
            TopicPartition tp,
            List<ProducerRecord<String, byte[]>> records,
            long nextOffset,
            ConsumerGroupMetadata groupMetadata) {
        KafkaProducer<String, byte[]> p = producers.get(tp);
        if (p == null) {
            throw new NotCommitted("no open transactions for " + tp + " on " + instance, false, null);
        }
        try {
            p.beginTransaction();
            for (ProducerRecord<String, byte[]> r : records) {
                p.send(r);
            }
            if (beforeCommit != null) {
                p.flush();
                beforeCommit.sent(tp, records);
            }
            p.sendOffsetsToTransaction(Map.of(tp, new OffsetAndMetadata(nextOffset)), groupMetadata);
            p.commitTransaction();
        } catch (ProducerFencedException
                | InvalidProducerEpochException
                | FencedInstanceIdException
                | CommitFailedException
                | OutOfOrderSequenceException
                | UnsupportedVersionException
                | AuthorizationException e) {
            close(tp); // unusable: only a new producer (after the group confirms the partition) may go on
            throw new NotCommitted("fenced on " + tp + ": " + e, true, e);
        } catch (KafkaException e) {
            try {
                p.abortTransaction();
            } catch (KafkaException again) {
                LOG.warnf("%s: cannot abort after %s: %s; the producer is closed", tp, e, again);
                close(tp);
                throw new NotCommitted("producer of " + tp + " unusable after " + e, true, e);
            }
            throw new NotCommitted("decision on " + tp + " not committed (aborted): " + e, false, e);
        }
    }

    @Override
    public synchronized void close() {
        List.copyOf(producers.keySet()).forEach(this::close);
    }
}
