package io.pgops.health.messaging;

import io.pgops.events.EventEnvelope;
import io.pgops.events.health.HealthEvent;
import io.pgops.kit.messaging.EventMessages;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

/** Publishes the health-service's facts to pgops.health.events (CloudEvents, key = cluster id). */
@ApplicationScoped
public class HealthEventPublisher {
    private static final Logger LOG = Logger.getLogger(HealthEventPublisher.class);

    private final Emitter<byte[]> emitter;
    private final String source;

    public HealthEventPublisher(
            @Channel("health-events") Emitter<byte[]> emitter, @ConfigProperty(name = "pgops.instance") String source) {
        this.emitter = emitter;
        this.source = source;
    }

    /** Completes once Kafka acknowledged the event (acks=all). */
    public CompletionStage<Void> publish(HealthEvent event, String correlationId) {
        EventEnvelope envelope = EventEnvelope.wrap(event, source, correlationId);
        CompletionStage<Void> done = EventMessages.send(emitter, envelope);
        LOG.infof(
                "published %s for %s/%s (correlation %s)",
                envelope.type(), envelope.subject(), event.getClass().getSimpleName(), envelope.correlationId());
        return done;
    }
}
