package io.pgops.backup.messaging;

import io.pgops.backup.service.FailoverBackups;
import io.pgops.events.EventEnvelope;
import io.pgops.events.MalformedEventException;
import io.pgops.events.replication.FailoverCompleted;
import io.pgops.kit.messaging.EventMessages;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Reads {@code pgops.replication.events} (committed records only: the coordinator publishes in transactions) in one
 * group shared by every backup-service instance, so one of them answers each {@code FailoverCompleted} with a fresh
 * base backup on the new timeline ({@link FailoverBackups}). The offset is committed once the backup is requested
 * ({@code BackupRequested} acknowledged by Kafka), not when it completes: a backup runs longer than a consumer may
 * stay away from its poll. A record that is not a pgops CloudEvent is nacked with its reason and goes to {@code
 * pgops.deadletter}; the consumer carries on. Other replication events are not ours.
 */
@ApplicationScoped
public class FailoverConsumer {
    private static final Logger LOG = Logger.getLogger(FailoverConsumer.class);

    private final FailoverBackups backups;

    public FailoverConsumer(FailoverBackups backups) {
        this.backups = backups;
    }

    @Incoming("replication-events")
    @Blocking // asks each node's timeline (IDENTIFY_SYSTEM) and waits for Kafka's acknowledgement
    public CompletionStage<Void> consume(Message<byte[]> message) {
        try {
            EventEnvelope envelope = EventMessages.decode(message);
            if (envelope.data() instanceof FailoverCompleted f) {
                backups.completed(envelope, f);
            }
        } catch (MalformedEventException e) {
            LOG.warnf("malformed record on pgops.replication.events sent to the dead-letter topic: %s", e.reason());
            return message.nack(e);
        } catch (RuntimeException e) {
            LOG.errorf(e, "a FailoverCompleted could not be answered with a backup");
        }
        return message.ack();
    }
}
