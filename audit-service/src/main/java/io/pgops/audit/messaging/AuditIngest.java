package io.pgops.audit.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pgops.audit.service.AuditStore;
import io.pgops.events.EventEnvelope;
import io.pgops.events.MalformedEventException;
import io.pgops.kit.messaging.EventMessages;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes every pgops topic and records each event once. The message is acknowledged (its offset
 * committed) only after its row is durable; a malformed record is nacked with its reason, which
 * sends it to pgops.deadletter, and ingestion carries on.
 */
@ApplicationScoped
public class AuditIngest {
    private static final Logger LOG = Logger.getLogger(AuditIngest.class);

    private final AuditStore store;
    private final Counter recorded;
    private final Counter duplicates;
    private final Counter malformed;

    public AuditIngest(AuditStore store, MeterRegistry registry) {
        this.store = store;
        this.recorded = registry.counter("pgops.audit.events", "outcome", "recorded");
        this.duplicates = registry.counter("pgops.audit.events", "outcome", "duplicate");
        this.malformed = registry.counter("pgops.audit.events", "outcome", "malformed");
    }

    void onStart(@Observes StartupEvent ev) {
        store.createSchema().await().atMost(Duration.ofSeconds(30));
    }

    @Incoming("audit-in")
    public Uni<Void> ingest(Message<byte[]> message) {
        EventEnvelope envelope;
        try {
            envelope = EventMessages.decode(message);
        } catch (MalformedEventException e) {
            malformed.increment();
            LOG.warnf("malformed record sent to the dead-letter topic: %s", e.reason());
            return Uni.createFrom().completionStage(() -> message.nack(e));
        }
        Optional<IncomingKafkaRecordMetadata> meta = message.getMetadata(IncomingKafkaRecordMetadata.class);
        String data = new String(message.getPayload(), StandardCharsets.UTF_8);
        return store.record(
                        envelope,
                        meta.map(IncomingKafkaRecordMetadata::getTopic).orElse(null),
                        meta.map(IncomingKafkaRecordMetadata::getPartition).orElse(null),
                        meta.map(IncomingKafkaRecordMetadata::getOffset).orElse(null),
                        data)
                .invoke(isNew -> (isNew ? recorded : duplicates).increment())
                .onItem()
                .transformToUni(isNew -> Uni.createFrom().completionStage(message::ack))
                .onFailure()
                .invoke(e -> LOG.errorf("cannot record event %s yet, retrying: %s", envelope.id(), e.getMessage()))
                // not durable yet: retry (the row is keyed by event id, so a retry cannot duplicate it);
                // the offset stays uncommitted meanwhile, and readiness reports the stalled channel
                .onFailure()
                .retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10))
                .indefinitely();
    }
}
