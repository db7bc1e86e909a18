package io.pgops.maintenance.messaging;

import io.pgops.events.EventEnvelope;
import io.pgops.events.MalformedEventException;
import io.pgops.events.backup.BackupCompleted;
import io.pgops.events.backup.BackupFailed;
import io.pgops.kit.messaging.EventMessages;
import io.pgops.maintenance.service.Migrations;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Reads {@code pgops.backup.events} (every instance, a group of its own, from the beginning): a migration
 * waits for the {@code BackupCompleted} or {@code BackupFailed} of its pre-migration dump, matched by its
 * correlation id. Only the instance that holds the migration acts; the others, and replays, find no migration
 * under that correlation id and change nothing.
 */
@ApplicationScoped
public class BackupEventsConsumer {
    private static final Logger LOG = Logger.getLogger(BackupEventsConsumer.class);

    private final Migrations migrations;

    public BackupEventsConsumer(Migrations migrations) {
        this.migrations = migrations;
    }

    @Incoming("backup-events")
    public CompletionStage<Void> consume(Message<byte[]> message) {
        try {
            EventEnvelope envelope = EventMessages.decode(message);
            if (envelope.correlationId() != null) {
                if (envelope.data() instanceof BackupCompleted c) {
                    migrations.backupCompleted(envelope.correlationId(), c.kind(), c.backupId());
                } else if (envelope.data() instanceof BackupFailed f) {
                    migrations.backupFailed(envelope.correlationId(), f.stage(), f.error());
                }
            }
        } catch (MalformedEventException e) {
            LOG.warnf("skipped a malformed record on pgops.backup.events: %s", e.reason());
        } catch (RuntimeException e) {
            LOG.warnf("a backup event could not be applied to the migrations: %s", e.getMessage());
        }
        return message.ack();
    }
}
