package io.pgops.audit.messaging;

import io.pgops.audit.domain.ChainLink;
import io.pgops.audit.domain.Checkpoints;
import io.pgops.audit.service.AuditSchema;
import io.pgops.audit.service.ChainAudit;
import io.pgops.audit.service.CheckpointKey;
import io.pgops.events.EventEnvelope;
import io.pgops.events.audit.ChainCheckpointed;
import io.pgops.kit.messaging.EventMessages;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

/**
 * Every {@code pgops.audit.checkpoint.interval}, when the chain head moved, signs it and publishes
 * a {@link ChainCheckpointed} on pgops.audit.events. The audit service does not record its own
 * checkpoints in the chain: each would move the head it reports.
 */
@ApplicationScoped
public class CheckpointPublisher {
    static final String SOURCE = "/pgops/audit-service";
    private static final Logger LOG = Logger.getLogger(CheckpointPublisher.class);

    private final Emitter<byte[]> emitter;
    private final ChainAudit chain;
    private final CheckpointKey key;
    private final AuditSchema schema;
    private final AtomicReference<ChainCheckpointed> last = new AtomicReference<>();

    public CheckpointPublisher(
            @Channel("audit-checkpoints") Emitter<byte[]> emitter,
            ChainAudit chain,
            CheckpointKey key,
            AuditSchema schema) {
        this.emitter = emitter;
        this.schema = schema;
        this.chain = chain;
        this.key = key;
    }

    /** The last checkpoint this process published and Kafka acknowledged. */
    public Optional<ChainCheckpointed> last() {
        return Optional.ofNullable(last.get());
    }

    // delayed: a trigger at start-up would create this bean before the messaging graph has wired its
    // emitter (SRMSG00019); the first checkpoint can wait a few seconds
    @Scheduled(
            every = "${pgops.audit.checkpoint.interval:1m}",
            delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> checkpoint() {
        if (!schema.isCreated()) {
            return Uni.createFrom().voidItem(); // the service is still starting
        }
        return chain.head().chain(head -> {
            ChainCheckpointed previous = last.get();
            if (head.isEmpty()
                    || (previous != null && previous.seq() == head.get().seq())) {
                return Uni.createFrom().voidItem(); // nothing new to vouch for
            }
            return publish(head.get());
        });
    }

    private Uni<Void> publish(ChainLink head) {
        ChainCheckpointed checkpoint =
                Checkpoints.sign(head, Instant.now().truncatedTo(ChronoUnit.MICROS), key.keyPair());
        EventEnvelope envelope = EventEnvelope.wrap(checkpoint, SOURCE, null);
        return Uni.createFrom()
                .completionStage(() -> EventMessages.send(emitter, envelope))
                .invoke(() -> {
                    last.set(checkpoint);
                    LOG.infof(
                            "checkpoint of row %d (%s) signed by key %s",
                            head.seq(), head.hashHex(), checkpoint.keyId());
                })
                .onFailure()
                .invoke(e -> LOG.warnf("checkpoint of row %d not published: %s", head.seq(), e.getMessage()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }
}
