package io.pgops.maintenance.messaging;

import io.pgops.events.EventEnvelope;
import io.pgops.events.MalformedEventException;
import io.pgops.events.replication.TopologyChanged;
import io.pgops.kit.messaging.EventMessages;
import io.pgops.maintenance.service.Topologies;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Reads the compacted {@code pgops.topology} from its beginning (every instance, its own group,
 * {@code read_committed}): a run waits while a failover or switchover is under way. A record that cannot be
 * decoded is logged and skipped (the topic is re-read at every start).
 */
@ApplicationScoped
public class TopologyConsumer {
    private static final Logger LOG = Logger.getLogger(TopologyConsumer.class);

    private final Topologies topologies;

    public TopologyConsumer(Topologies topologies) {
        this.topologies = topologies;
    }

    @Incoming("topology")
    public CompletionStage<Void> consume(Message<byte[]> message) {
        try {
            EventEnvelope envelope = EventMessages.decode(message);
            if (envelope.data() instanceof TopologyChanged tc) {
                topologies.record(tc);
                LOG.debugf(
                        "topology of %s (term %s): target %s, current %s",
                        tc.cluster(), tc.term(), tc.targetPrimary(), tc.currentPrimary());
            }
        } catch (MalformedEventException e) {
            LOG.warnf("skipped a malformed record on pgops.topology: %s", e.reason());
        }
        return message.ack();
    }
}
