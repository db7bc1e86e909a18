package io.pgops.backup.messaging;

import io.pgops.backup.service.Primaries;
import io.pgops.backup.service.WalArchiving;
import io.pgops.events.EventEnvelope;
import io.pgops.events.MalformedEventException;
import io.pgops.events.replication.TopologyChanged;
import io.pgops.kit.messaging.EventMessages;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Reads the compacted {@code pgops.topology} topic from its beginning (every instance, a group of its own): the
 * latest {@code TopologyChanged} of each cluster at start-up, then every change, so WAL archiving streams from
 * the current primary and follows it across switchovers and failovers. The compacted topic, not {@code
 * pgops.replication.events}, because an instance that starts after a failover must learn the current primary
 * without replaying the whole history. A record that cannot be decoded is logged and skipped (the topic is
 * re-read at every start).
 */
@ApplicationScoped
public class TopologyConsumer {
    private static final Logger LOG = Logger.getLogger(TopologyConsumer.class);

    private final WalArchiving archiving;
    private final Primaries primaries;

    public TopologyConsumer(WalArchiving archiving, Primaries primaries) {
        this.archiving = archiving;
        this.primaries = primaries;
    }

    @Incoming("topology")
    @Blocking // re-pointing reads the password file and signals pg_receivewal: not on the event loop
    public CompletionStage<Void> consume(Message<byte[]> message) {
        try {
            EventEnvelope envelope = EventMessages.decode(message);
            if (envelope.data() instanceof TopologyChanged tc) {
                primaries.record(tc);
                archiving.topology(tc);
            }
        } catch (MalformedEventException e) {
            LOG.warnf("skipped a malformed record on pgops.topology: %s", e.reason());
        } catch (RuntimeException e) {
            LOG.warnf("the topology could not be applied to WAL archiving: %s", e.getMessage());
        }
        return message.ack();
    }
}
