package io.pgops.replication.service;

import io.pgops.events.EventEnvelope;
import io.pgops.events.EventTypes;
import io.pgops.events.PgopsEvent;
import io.pgops.events.Requester;
import io.pgops.kit.messaging.KafkaClients;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;

/** Publishes operator commands (and the agent's own facts) to their topic, durably ({@code acks=all}, idempotent) before answering. */
@ApplicationScoped
public class CommandPublisher {
    private static final String SOURCE = "/pgops/replication-service";
    private final KafkaClients kafka;
    private volatile KafkaProducer<String, byte[]> producer;

    public CommandPublisher(KafkaClients kafka) {
        this.kafka = kafka;
    }

    /** The command as published (its id is also the flow's correlation id). */
    public EventEnvelope publish(PgopsEvent command) {
        return publish(command, null);
    }

    /**
     * As {@link #publish(PgopsEvent)}, naming who asked (the authenticated caller; {@code null} for pgops
     * itself): the envelope's {@code pgopsprincipal}/{@code pgopsroles}.
     */
    public EventEnvelope publish(PgopsEvent command, Requester requester) {
        EventEnvelope e = EventEnvelope.wrap(command, SOURCE, null, requester);
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
            producer = kafka.producer("pgops-replication-publisher");
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
