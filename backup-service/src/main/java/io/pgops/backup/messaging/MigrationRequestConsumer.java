package io.pgops.backup.messaging;

import io.pgops.backup.service.PreMigrationDumps;
import io.pgops.events.EventEnvelope;
import io.pgops.events.MalformedEventException;
import io.pgops.events.maintenance.MigrationRequested;
import io.pgops.kit.messaging.EventMessages;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Reads {@code pgops.maintenance.commands} in one group shared by every backup-service instance (one of them
 * answers each request): a {@code MigrationRequested} is answered with its pre-migration schema-only dump. The
 * offset is committed after the answer was published, so a crash mid-dump means the request is delivered again
 * (and a dump already catalogued for it is published again, not taken twice). Other commands are not ours.
 */
@ApplicationScoped
public class MigrationRequestConsumer {
    private static final Logger LOG = Logger.getLogger(MigrationRequestConsumer.class);

    private final PreMigrationDumps dumps;

    public MigrationRequestConsumer(PreMigrationDumps dumps) {
        this.dumps = dumps;
    }

    @Incoming("maintenance-commands")
    @Blocking // pg_dump and pg_restore run on this thread: the offset is committed only after the answer
    public CompletionStage<Void> consume(Message<byte[]> message) {
        try {
            EventEnvelope envelope = EventMessages.decode(message);
            if (envelope.data() instanceof MigrationRequested r) {
                dumps.requested(envelope, r);
            }
        } catch (MalformedEventException e) {
            LOG.warnf("skipped a malformed record on pgops.maintenance.commands: %s", e.reason());
        } catch (RuntimeException e) {
            LOG.errorf(e, "a MigrationRequested could not be answered");
        }
        return message.ack();
    }
}
