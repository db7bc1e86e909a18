package io.pgops.maintenance.messaging;

import io.pgops.events.EventEnvelope;
import io.pgops.events.Requester;
import io.pgops.events.maintenance.MaintenanceEvent;
import io.pgops.kit.messaging.EventMessages;
import io.pgops.maintenance.config.MaintenanceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

/** Publishes the maintenance service's facts to {@code pgops.maintenance.events}, CloudEvents, key = cluster id. */
@ApplicationScoped
public class MaintenanceEventPublisher {
    private static final Logger LOG = Logger.getLogger(MaintenanceEventPublisher.class);

    private final Emitter<byte[]> emitter;
    private final String source;
    private final MaintenanceConfig config;

    public MaintenanceEventPublisher(
            @Channel("maintenance-events") Emitter<byte[]> emitter,
            @ConfigProperty(name = "pgops.instance") String source,
            MaintenanceConfig config) {
        this.emitter = emitter;
        this.source = source;
        this.config = config;
    }

    /** Returns once Kafka acknowledged the event (acks=all); throws if it did not within the publish timeout. */
    public void publish(MaintenanceEvent event, String correlationId) {
        publish(event, correlationId, null);
    }

    /** As {@link #publish(MaintenanceEvent, String)}, naming who asked for the run (null: the scheduler). */
    public void publish(MaintenanceEvent event, String correlationId, Requester requester) {
        EventEnvelope envelope = EventEnvelope.wrap(event, source, correlationId, requester);
        try {
            EventMessages.send(emitter, envelope)
                    .toCompletableFuture()
                    .get(config.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing " + envelope.type(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "Kafka did not acknowledge " + envelope.type() + " within " + config.publishTimeout(), e);
        }
        LOG.infof(
                "published %s for %s (correlation %s)", envelope.type(), envelope.subject(), envelope.correlationId());
    }
}
