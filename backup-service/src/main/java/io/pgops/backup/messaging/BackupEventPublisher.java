package io.pgops.backup.messaging;

import io.pgops.events.EventEnvelope;
import io.pgops.events.Requester;
import io.pgops.events.backup.BackupEvent;
import io.pgops.kit.messaging.EventMessages;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

/**
 * Publishes the backup service's facts to {@code pgops.backup.events} and its commands ({@code BackupRequested})
 * to {@code pgops.backup.commands} (the topic follows the event's class), CloudEvents, key = cluster id.
 */
@ApplicationScoped
public class BackupEventPublisher {
    private static final Logger LOG = Logger.getLogger(BackupEventPublisher.class);

    private final Emitter<byte[]> emitter;
    private final String source;

    public BackupEventPublisher(
            @Channel("backup-events") Emitter<byte[]> emitter, @ConfigProperty(name = "pgops.instance") String source) {
        this.emitter = emitter;
        this.source = source;
    }

    /** Completes once Kafka acknowledged the event (acks=all). */
    public CompletionStage<Void> publish(BackupEvent event, String correlationId) {
        return publish(event, correlationId, null);
    }

    /** As {@link #publish(BackupEvent, String)}, naming who asked (for a command; else null). */
    public CompletionStage<Void> publish(BackupEvent event, String correlationId, Requester requester) {
        EventEnvelope envelope = EventEnvelope.wrap(event, source, correlationId, requester);
        CompletionStage<Void> done = EventMessages.send(emitter, envelope);
        LOG.infof(
                "published %s for %s (correlation %s)", envelope.type(), envelope.subject(), envelope.correlationId());
        return done;
    }
}
