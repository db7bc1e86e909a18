package io.pgops.maintenance.messaging;

import io.pgops.events.EventEnvelope;
import io.pgops.events.MalformedEventException;
import io.pgops.events.replication.HostFactsReported;
import io.pgops.kit.messaging.EventMessages;
import io.pgops.maintenance.service.ReportedHosts;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Reads {@code pgops.replication.events} (every instance, a group of its own, from the beginning,
 * {@code read_committed}) for the agents' {@code HostFactsReported}: the latest per node feeds the host-settings
 * report and the configuration advisor when no host facts are declared. Other types are passed over; a record that
 * cannot be decoded is logged and skipped, as this service's other consumers do (the topic is read again at every
 * start, so a dead-letter copy per instance and start would only repeat it).
 */
@ApplicationScoped
public class ReplicationEventsConsumer {
    private static final Logger LOG = Logger.getLogger(ReplicationEventsConsumer.class);

    private final ReportedHosts hosts;

    public ReplicationEventsConsumer(ReportedHosts hosts) {
        this.hosts = hosts;
    }

    @Incoming("replication-events")
    public CompletionStage<Void> consume(Message<byte[]> message) {
        try {
            EventEnvelope envelope = EventMessages.decode(message);
            if (envelope.data() instanceof HostFactsReported r) {
                hosts.record(r);
                LOG.debugf("host facts of %s/%s reported at %s", r.cluster(), r.node(), r.reportedAt());
            }
        } catch (MalformedEventException e) {
            LOG.warnf("skipped a malformed record on pgops.replication.events: %s", e.reason());
        }
        return message.ack();
    }
}
