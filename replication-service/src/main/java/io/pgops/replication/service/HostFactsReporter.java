package io.pgops.replication.service;

import io.pgops.events.replication.HostFactsReported;
import io.pgops.replication.config.AgentConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * Publishes {@code HostFactsReported} for the host this agent runs on: at its start, whenever a look (every minute,
 * or every {@code host-facts-every} if shorter) finds a fact changed, and at least every {@code host-facts-every}.
 * A publish Kafka does not acknowledge is tried again at the next look.
 */
@ApplicationScoped
public class HostFactsReporter {
    private static final Logger LOG = Logger.getLogger(HostFactsReporter.class);
    private static final Duration LOOK = Duration.ofMinutes(1);

    private final AgentNode agent;
    private final AgentConfig config;
    private final CommandPublisher publisher;
    private final HostFactsReader reader = new HostFactsReader(Path.of("/"));
    private volatile Thread thread;

    public HostFactsReporter(AgentNode agent, AgentConfig config, CommandPublisher publisher) {
        this.agent = agent;
        this.config = config;
        this.publisher = publisher;
    }

    void start(@Observes StartupEvent e) {
        Duration every = config.hostFactsEvery();
        if (!agent.isAgent() || every.isZero()) {
            return;
        }
        Thread t = new Thread(() -> loop(every), "pgops-agent-host-facts");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    void stop(@Observes ShutdownEvent e) {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    private void loop(Duration every) {
        Duration look = every.compareTo(LOOK) < 0 ? every : LOOK;
        HostFactsReported last = null;
        long lastNanos = 0;
        while (!Thread.currentThread().isInterrupted()) {
            HostFactsReported now = reader.read(agent.cluster(), agent.node(), config.dataDir());
            if (last == null || !sameFacts(last, now) || System.nanoTime() - lastNanos >= every.toNanos()) {
                try {
                    publisher.publish(now);
                    LOG.infof(
                            "%s/%s: host facts reported (%s RAM bytes, %s CPUs, swappiness %s, overcommit %s,"
                                    + " THP %s, %s on %s, %s)",
                            agent.cluster(),
                            agent.node(),
                            now.ramBytes(),
                            now.cpus(),
                            now.swappiness(),
                            now.overcommitMemory(),
                            now.transparentHugePages(),
                            now.mountOptions(),
                            now.mountPoint(),
                            now.storage());
                    last = now;
                    lastNanos = System.nanoTime();
                } catch (RuntimeException ex) {
                    LOG.warnf("%s/%s: host facts not reported (%s); trying again", agent.cluster(), agent.node(), ex);
                }
            }
            try {
                Thread.sleep(look.toMillis());
            } catch (InterruptedException ie) {
                return;
            }
        }
    }

    /** The facts without the time they were read. */
    static boolean sameFacts(HostFactsReported a, HostFactsReported b) {
        return Objects.equals(a.ramBytes(), b.ramBytes())
                && Objects.equals(a.cpus(), b.cpus())
                && Objects.equals(a.swappiness(), b.swappiness())
                && Objects.equals(a.overcommitMemory(), b.overcommitMemory())
                && Objects.equals(a.overcommitRatio(), b.overcommitRatio())
                && Objects.equals(a.transparentHugePages(), b.transparentHugePages())
                && Objects.equals(a.dataDirectory(), b.dataDirectory())
                && Objects.equals(a.mountPoint(), b.mountPoint())
                && Objects.equals(a.mountOptions(), b.mountOptions())
                && Objects.equals(a.storage(), b.storage());
    }
}
