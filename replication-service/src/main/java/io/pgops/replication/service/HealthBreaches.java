package io.pgops.replication.service;

import io.pgops.events.EventEnvelope;
import io.pgops.events.MalformedEventException;
import io.pgops.events.Topics;
import io.pgops.events.health.PrimaryUnreachable;
import io.pgops.kit.messaging.KafkaClients;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * The health-service's say, as the coordinator hears it: a {@code PrimaryUnreachable} on {@code
 * pgops.health.events} makes the owner of that cluster look at its primary at once. One observer's say
 * alone never promotes: the owner's own looks must confirm; when they do, the breach's correlation id
 * becomes the incident's. Read from the end (an old breach is history, not a reason to look).
 */
@ApplicationScoped
public class HealthBreaches {
    private static final Logger LOG = Logger.getLogger(HealthBreaches.class);

    private final KafkaClients kafka;
    private final Coordinator coordinator;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;

    public HealthBreaches(KafkaClients kafka, Coordinator coordinator) {
        this.kafka = kafka;
        this.coordinator = coordinator;
    }

    void start(@Observes StartupEvent e) {
        if (!coordinator.enabled()) {
            return;
        }
        Thread t = new Thread(this::run, "pgops-health-breaches");
        t.setDaemon(true);
        t.start();
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
            try (KafkaConsumer<String, byte[]> c = kafka.consumer(
                    "pgops-health-breaches-" + coordinator.instance(),
                    Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"))) {
                consumer = c;
                List<TopicPartition> parts = c.partitionsFor(Topics.HEALTH_EVENTS).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition()))
                        .toList();
                c.assign(parts);
                c.seekToEnd(parts);
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                        EventEnvelope env;
                        try {
                            env = KafkaRecords.decode(r);
                        } catch (MalformedEventException ex) {
                            continue; // the audit-service dead-letters it; here it is no reason to look
                        }
                        if (env.data() instanceof PrimaryUnreachable p) {
                            LOG.infof(
                                    "%s: the health-service reports %s unreachable (%s); its owner looks at once",
                                    p.cluster(), p.node(), p.error());
                            coordinator.breach(p.cluster(), p.node(), env.correlationId());
                        }
                    }
                }
            } catch (WakeupException ex) {
                return;
            } catch (RuntimeException ex) {
                LOG.warnf("health breaches: %s; reading on", ex.toString());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
