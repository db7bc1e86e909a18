package io.pgops.health.messaging;

import io.pgops.events.EventEnvelope;
import io.pgops.events.MalformedEventException;
import io.pgops.events.backup.BackupCompleted;
import io.pgops.health.service.Clusters;
import io.pgops.kit.messaging.EventMessages;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Reads pgops.backup.events from the beginning (every instance, its own group) to know each
 * cluster's newest completed backup (check backup-freshness). Other backup events are skipped; a
 * malformed record is logged and skipped, as it is the audit-service's to dead-letter.
 */
@ApplicationScoped
public class BackupEventsConsumer {
    private static final Logger LOG = Logger.getLogger(BackupEventsConsumer.class);

    private final Clusters clusters;

    public BackupEventsConsumer(Clusters clusters) {
        this.clusters = clusters;
    }

    @Incoming("backup-events")
    public CompletionStage<Void> consume(Message<byte[]> message) {
        try {
            EventEnvelope envelope = EventMessages.decode(message);
            if (envelope.data() instanceof BackupCompleted b && clusters.backupCompleted(b)) {
                LOG.debugf("backup %s of %s completed at %s", b.backupId(), b.cluster(), b.completedAt());
            }
        } catch (MalformedEventException e) {
            LOG.warnf("skipped a malformed record on pgops.backup.events: %s", e.reason());
        }
        return message.ack();
    }
}
