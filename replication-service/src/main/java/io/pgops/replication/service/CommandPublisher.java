package io.pgops.replication.service;

import io.pgops.events.EventEnvelope;
import io.pgops.events.EventTypes;
import io.pgops.events.PgopsEvent;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Publishes operator commands to their topic, durably ({@code acks=all}, idempotent) before answering. */
@ApplicationScoped
public class CommandPublisher {
    private static final String SOURCE = "/pgops/replication-service";
    private final String bootstrap;
    private volatile KafkaProducer<String, byte[]> producer;

    public CommandPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** The command as published (its id is also the flow's correlation id). */
    public EventEnvelope publish(PgopsEvent command) {
        EventEnvelope e = EventEnvelope.wrap(command, SOURCE, null);
        try {
            producer()
                    .send(KafkaRecords.of(EventTypes.topicOf(command.getClass()), e))
                    .get(10, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing the command", ex);
        } catch (ExecutionException | TimeoutException ex) {
            throw new IllegalStateException("the command could not be published to Kafka: " + ex.getMessage(), ex);
        }
        return e;
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            producer = new KafkaProducer<>(p);
        }
        return producer;
    }

    void stop(@Observes ShutdownEvent e) {
        KafkaProducer<String, byte[]> p = producer;
        if (p != null) {
            p.close();
        }
    }
}
