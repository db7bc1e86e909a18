package io.pgops.replication.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pgops.events.replication.AgentCommandRefused;
import io.pgops.replication.config.AgentAuthConfig;
import io.pgops.replication.domain.AgentCredential.Refused;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Reports the agent's refusals of uncredentialed operations: a counter per operation and code at once, a log
 * line and {@code AgentCommandRefused} at most once per {@code refusal-report-interval} per operation and code
 * (a flood of forged calls must not flood Kafka or the log), counting those held back. The event is sent from a
 * worker thread: a refusal is answered at once even while Kafka is away.
 */
@ApplicationScoped
public class AgentRefusals {
    private static final Logger LOG = Logger.getLogger(AgentRefusals.class);

    private final AgentNode agent;
    private final CommandPublisher publisher;
    private final MeterRegistry registry;
    private final long intervalNanos;
    private final Map<String, Window> windows = new HashMap<>();

    private static final class Window {
        long lastReport = Long.MIN_VALUE;
        int heldBack;
    }

    public AgentRefusals(AgentNode agent, CommandPublisher publisher, MeterRegistry registry, AgentAuthConfig config) {
        this.agent = agent;
        this.publisher = publisher;
        this.registry = registry;
        this.intervalNanos = config.refusalReportInterval().toNanos();
    }

    /** Counts and (rate-limited) reports one refusal of {@code operation} from {@code caller} (null: unknown). */
    public void refused(String operation, Refused why, String caller) {
        Counter.builder("pgops.replication.agent.commands.refused")
                .description(
                        "operations this agent refused for want of a coordinator's credential, by operation and code")
                .tag("operation", operation)
                .tag("refusal", why.refusal().code)
                .register(registry)
                .increment();
        int count;
        long now = System.nanoTime();
        synchronized (windows) {
            Window w = windows.computeIfAbsent(operation + "/" + why.refusal().code, k -> new Window());
            if (w.lastReport != Long.MIN_VALUE && now - w.lastReport < intervalNanos) {
                w.heldBack++;
                return;
            }
            count = w.heldBack + 1;
            w.heldBack = 0;
            w.lastReport = now;
        }
        LOG.warnf(
                "refused %s from %s: %s (%s)%s",
                operation,
                caller == null ? "an unknown address" : caller,
                why.reason(),
                why.refusal().code,
                count > 1 ? " — " + (count - 1) + " more held back since the last report" : "");
        AgentCommandRefused event = new AgentCommandRefused(
                agent.cluster(),
                agent.node(),
                operation,
                why.refusal().code,
                why.reason(),
                caller,
                count,
                Instant.now());
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                publisher.publish(event);
            } catch (RuntimeException e) {
                LOG.warnf("the refusal of %s could not be reported to Kafka: %s", operation, e.getMessage());
            }
        });
    }
}
