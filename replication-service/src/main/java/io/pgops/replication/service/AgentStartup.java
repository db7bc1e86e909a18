package io.pgops.replication.service;

import io.pgops.events.replication.NodeFenced;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * An agent's start: it serves nothing that depends on the topology (no 200 on {@code /primary}, no
 * {@code /agent} command) until its view has read every record committed before the start, and a
 * writable PostgreSQL beside it that the topology does not name has been stopped and reported.
 */
@ApplicationScoped
public class AgentStartup {
    private static final Logger LOG = Logger.getLogger(AgentStartup.class);

    private final AgentNode agent;
    private final TopologyView view;
    private final CommandPublisher publisher;
    private volatile boolean running = true;

    public AgentStartup(AgentNode agent, TopologyView view, CommandPublisher publisher) {
        this.agent = agent;
        this.view = view;
        this.publisher = publisher;
    }

    void start(@Observes StartupEvent e) {
        if (!agent.isAgent()) {
            return;
        }
        Thread t = new Thread(this::prepare, "pgops-agent-start");
        t.setDaemon(true);
        t.start();
    }

    void stop(@Observes ShutdownEvent e) {
        running = false;
    }

    private void prepare() {
        while (running && !view.awaitReadSinceStart(Duration.ofSeconds(10))) {
            LOG.infof(
                    "%s/%s: still reading the topology to its end; serving nothing yet", agent.cluster(), agent.node());
        }
        while (running) {
            try {
                agent.stopIfStrayPrimary().ifPresent(this::report);
                agent.markReady();
                LOG.infof(
                        "%s/%s: topology read to its end (term %s); ready",
                        agent.cluster(), agent.node(), agent.highestTerm());
                return;
            } catch (RuntimeException ex) { // e.g. PostgreSQL still in crash recovery: look again
                LOG.warnf("%s/%s: start check failed (%s); trying again in 1 s", agent.cluster(), agent.node(), ex);
                try {
                    TimeUnit.SECONDS.sleep(1);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void report(NodeFenced fenced) {
        try {
            publisher.publish(fenced);
        } catch (RuntimeException ex) {
            LOG.errorf("%s/%s: stopped, but the event could not be published: %s", agent.cluster(), agent.node(), ex);
        }
    }
}
