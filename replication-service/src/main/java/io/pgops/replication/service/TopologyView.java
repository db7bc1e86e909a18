package io.pgops.replication.service;

import io.pgops.events.EventEnvelope;
import io.pgops.events.MalformedEventException;
import io.pgops.events.OperatorCommand;
import io.pgops.events.Topics;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Term;
import io.pgops.events.replication.FailoverCompleted;
import io.pgops.events.replication.FailoverRefused;
import io.pgops.events.replication.HostFactsReported;
import io.pgops.events.replication.Termed;
import io.pgops.events.replication.TopologyChanged;
import io.pgops.kit.messaging.KafkaClients;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * What every instance knows of the replication side, read from Kafka with {@code read_committed} (so
 * nothing a fenced coordinator wrote is ever seen): the latest topology of each cluster from the
 * compacted {@code pgops.topology}, and each cluster's history of commands and decisions from
 * {@code pgops.replication.commands} and {@code .events}, all read from the beginning at start.
 */
@ApplicationScoped
public class TopologyView {
    private static final Logger LOG = Logger.getLogger(TopologyView.class);
    private static final int HISTORY_LIMIT = 2000;
    private static final Duration POLL = Duration.ofMillis(20);
    private static final List<String> TOPICS =
            List.of(Topics.TOPOLOGY, Topics.REPLICATION_EVENTS, Topics.REPLICATION_COMMANDS);

    /** One command or decision of a cluster's history. */
    public record Entry(
            Instant time,
            String type,
            String correlationId,
            Long term,
            String principal,
            String reason,
            EventEnvelope event) {}

    private final KafkaClients kafka;
    private final Map<ClusterId, TopologyChanged> latest = new ConcurrentHashMap<>();
    private final Map<ClusterId, List<Entry>> history = new ConcurrentHashMap<>();
    private final Map<String, OperatorCommand> commands = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, OperatorCommand> e) {
            return size() > 10_000;
        }
    });
    private final Map<String, List<EventEnvelope>> byCorrelation = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<EventEnvelope>> e) {
            return size() > 10_000;
        }
    });
    private volatile Map<TopicPartition, Long> positions = Map.of();
    /** The end offsets (last stable) when the view first connected: read up to them, it is current. */
    private volatile Map<TopicPartition, Long> startEnds;

    private final Object endsLock = new Object();
    private KafkaConsumer<String, byte[]> endsReader;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public TopologyView(KafkaClients kafka) {
        this.kafka = kafka;
    }

    void start(@Observes StartupEvent e) {
        thread = new Thread(this::run, "pgops-topology-view");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent e) {
        running = false;
        synchronized (endsLock) {
            if (endsReader != null) {
                endsReader.close(Duration.ZERO);
            }
        }
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    /** The latest committed topology of a cluster. */
    public Optional<TopologyChanged> latest(ClusterId cluster) {
        return Optional.ofNullable(latest.get(cluster));
    }

    /** The newest committed term of a cluster; {@link Term#ZERO} before any topology. */
    public Term committedTerm(ClusterId cluster) {
        return latest(cluster).map(TopologyChanged::term).orElse(Term.ZERO);
    }

    /** Waits until the committed topology of {@code cluster} has at least {@code term}. */
    public boolean awaitTerm(ClusterId cluster, Term term, Duration timeout) {
        return await(() -> !term.isNewerThan(committedTerm(cluster)), timeout);
    }

    /**
     * The first follow-up of {@code correlationId} that {@code outcome} turns into a result, waiting for
     * it (woken after every poll of the view's consumer) up to {@code timeout}.
     */
    public <T> Optional<T> awaitFollowUp(
            String correlationId, Function<EventEnvelope, Optional<T>> outcome, Duration timeout) {
        AtomicReference<T> found = new AtomicReference<>();
        await(
                () -> {
                    for (EventEnvelope f : followUps(correlationId)) {
                        Optional<T> r = outcome.apply(f);
                        if (r.isPresent()) {
                            found.set(r.get());
                            return true;
                        }
                    }
                    return false;
                },
                timeout);
        return Optional.ofNullable(found.get());
    }

    /** Waits, woken after every poll of the view's consumer, until {@code done} holds or time runs out. */
    private synchronized boolean await(java.util.function.BooleanSupplier done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** A cluster's history, oldest first. */
    public List<Entry> history(ClusterId cluster) {
        List<Entry> h = history.get(cluster);
        if (h == null) {
            return List.of();
        }
        synchronized (h) {
            return List.copyOf(h);
        }
    }

    /** The events that followed a command (same correlation id), in order. */
    public List<EventEnvelope> followUps(String correlationId) {
        List<EventEnvelope> l = byCorrelation.get(correlationId);
        if (l == null) {
            return List.of();
        }
        synchronized (l) {
            return List.copyOf(l);
        }
    }

    /**
     * Whether the view has read every record committed before this instance started. Before that it may
     * know less than this instance knew before a restart (or than the cluster knows), so an agent takes
     * no command and vouches for no primary.
     */
    public boolean readSinceStart() {
        Map<TopicPartition, Long> ends = startEnds;
        return ends != null && caughtUp(ends);
    }

    /** Waits until {@link #readSinceStart()} holds. */
    public boolean awaitReadSinceStart(Duration timeout) {
        return await(this::readSinceStart, timeout);
    }

    /** Waits until every record committed to the view's topics before this call has been read. */
    public boolean awaitCaughtUp(Duration timeout) {
        Map<TopicPartition, Long> ends;
        try {
            ends = endOffsetsNow(timeout);
        } catch (RuntimeException e) {
            LOG.warnf("topology view: end offsets not known: %s", e.toString());
            return false;
        }
        return await(() -> caughtUp(ends), timeout);
    }

    /** The last stable offsets now, from a consumer kept for this (a read barrier is on a switchover's path). */
    private Map<TopicPartition, Long> endOffsetsNow(Duration timeout) {
        synchronized (endsLock) {
            if (endsReader == null) {
                endsReader = newConsumer();
            }
            try {
                long until = System.nanoTime() + timeout.toNanos();
                List<TopicPartition> parts = partitions(endsReader, timeout);
                return endsReader.endOffsets(parts, Duration.ofNanos(Math.max(1, until - System.nanoTime())));
            } catch (RuntimeException e) {
                endsReader.close(Duration.ZERO);
                endsReader = null;
                throw e;
            }
        }
    }

    private boolean caughtUp(Map<TopicPartition, Long> ends) {
        Map<TopicPartition, Long> at = positions;
        return ends.entrySet().stream().allMatch(e -> at.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    /**
     * Reads the topics from the beginning, once. After a consumer error it goes on from the positions it
     * had reached with a new consumer: what it knows stays as it was (never cleared and replayed, so no
     * reader is ever answered from an older topology while the view passes through the history again).
     */
    private void run() {
        while (running) {
            try (KafkaConsumer<String, byte[]> c = newConsumer()) {
                consumer = c;
                List<TopicPartition> parts = partitions(c, Duration.ofSeconds(60));
                c.assign(parts);
                if (startEnds == null) {
                    startEnds = c.endOffsets(parts);
                }
                Map<TopicPartition, Long> from = positions;
                for (TopicPartition tp : parts) {
                    Long at = from.get(tp);
                    if (at == null) {
                        c.seekToBeginning(List.of(tp));
                    } else {
                        c.seek(tp, at);
                    }
                }
                while (running) {
                    // short: a poll that fetched only a transaction's commit marker returns no record and
                    // would otherwise sit out its whole timeout before the position past the marker is
                    // published, and every read barrier on a switchover's path waits for that position
                    var records = c.poll(POLL);
                    for (ConsumerRecord<String, byte[]> r : records) {
                        apply(r);
                    }
                    Map<TopicPartition, Long> at = new HashMap<>();
                    for (TopicPartition tp : parts) {
                        at.put(tp, c.position(tp));
                    }
                    positions = at;
                    synchronized (this) {
                        notifyAll();
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("topology view: %s; reading on from where it was", e.toString());
                sleepQuietly();
            }
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        EventEnvelope e;
        try {
            e = KafkaRecords.decode(r);
        } catch (MalformedEventException ex) {
            return; // the audit-service and the coordinator dead-letter it; the view just skips it
        }
        if (r.topic().equals(Topics.TOPOLOGY)) {
            if (e.data() instanceof TopologyChanged t) {
                latest.merge(t.cluster(), t, (old, neu) -> neu.term().compareTo(old.term()) >= 0 ? neu : old);
            }
            return;
        }
        if (e.data() instanceof HostFactsReported) {
            return; // an agent's periodic report of its host: neither a command nor a decision of the history
        }
        byCorrelation
                .computeIfAbsent(e.correlationId(), k -> Collections.synchronizedList(new ArrayList<>()))
                .add(e);
        String principal = null;
        String reason = null;
        if (e.data() instanceof OperatorCommand cmd) {
            commands.put(e.correlationId(), cmd);
            principal = cmd.principal();
            reason = cmd.reason();
        } else {
            OperatorCommand cmd = commands.get(e.correlationId());
            principal = cmd == null ? null : cmd.principal();
            reason = switch (e.data()) {
                case TopologyChanged t -> t.reason();
                case FailoverCompleted f -> f.reason();
                case FailoverRefused f -> f.reason();
                default -> null;
            };
        }
        Long term = termOf(e);
        List<Entry> h = history.computeIfAbsent(e.subject(), k -> Collections.synchronizedList(new ArrayList<>()));
        synchronized (h) {
            h.add(new Entry(e.time(), e.type(), e.correlationId(), term, principal, reason, e));
            if (h.size() > HISTORY_LIMIT) {
                h.removeFirst();
            }
        }
    }

    private static Long termOf(EventEnvelope e) {
        return e.data() instanceof Termed t && t.term() != null ? t.term().value() : null;
    }

    private KafkaConsumer<String, byte[]> newConsumer() {
        return kafka.consumer(
                "pgops-topology-view-" + Integer.toHexString(System.identityHashCode(this)),
                Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
    }

    /**
     * The partitions of the topics, asked within {@code timeout} in all: a read barrier on an agent cut off from
     * Kafka must give up within its own timeout, not the client's default minute per topic (it held a start the
     * coordinator ordered, and the coordinator with it, for over a minute; found by AgentCutOffIT).
     */
    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> c, Duration timeout) {
        long until = System.nanoTime() + timeout.toNanos();
        List<TopicPartition> parts = new ArrayList<>();
        for (String t : TOPICS) {
            Duration left = Duration.ofNanos(Math.max(1, until - System.nanoTime()));
            c.partitionsFor(t, left).forEach(pi -> parts.add(new TopicPartition(t, pi.partition())));
        }
        return parts;
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
