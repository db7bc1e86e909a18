package io.pgops.health.messaging;

import io.pgops.events.EventEnvelope;
import io.pgops.events.MalformedEventException;
import io.pgops.events.replication.TopologyChanged;
import io.pgops.health.service.Clusters;
import io.pgops.kit.messaging.EventMessages;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Reads the compacted pgops.topology topic from its beginning (every instance, its own group), so
 * the watches know which node the replication service names primary and when it changes. A record
 * that cannot be decoded is logged and skipped: the topic is re-read at every start, and forwarding
 * it to the dead-letter topic each time would only repeat the same dead letter.
 */
@ApplicationScoped
public class TopologyConsumer {
    private static final Logger LOG = Logger.getLogger(TopologyConsumer.class);

    private final Clusters clusters;

    public TopologyConsumer(Clusters clusters) {
        this.clusters = clusters;
    }

    @Incoming("topology")
    public CompletionStage<Void> consume(Message<byte[]> message) {
        try {
            EventEnvelope envelope = EventMessages.decode(message);
            if (envelope.data() instanceof TopologyChanged tc) {
                boolean known = clusters.topology(tc);
                LOG.infof(
                        "topology of %s (term %s): target primary %s, current primary %s%s",
                        tc.cluster(),
                        tc.term(),
                        tc.targetPrimary(),
                        tc.currentPrimary(),
                        known ? "" : " (not in the inventory: ignored)");
            }
        } catch (MalformedEventException e) {
            LOG.warnf("skipped a malformed record on pgops.topology: %s", e.reason());
        }
        return message.ack();
    }
}
