package io.pgops.health.service;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.pgops.health.domain.ClusterView;
import io.pgops.health.domain.Watch;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Prometheus metrics per cluster, node and check, refreshed after every probe cycle:
 * {@code pgops_health_node_up}, {@code pgops_health_check_value}, {@code pgops_health_check_breached}
 * and {@code pgops_health_cycle_seconds}.
 */
@ApplicationScoped
public class HealthMetrics {
    /**
     * Gauge values by meter id. Static because a gauge registered in the global registry outlives
     * this bean (a restarted application in the same JVM gets the registered gauge back, bound to
     * whatever holder it was first given): one holder per meter id for the JVM's lifetime.
     */
    private static final Map<String, AtomicReference<Double>> GAUGES = new ConcurrentHashMap<>();

    private final MeterRegistry registry;

    public HealthMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void cycle(String cluster, Duration took) {
        Timer.builder("pgops.health.cycle")
                .description("one probe cycle of every node of a cluster")
                .tags("cluster", cluster)
                .register(registry)
                .record(took);
    }

    public void update(ClusterView view) {
        String cluster = view.cluster().value();
        for (ClusterView.NodeView n : view.nodes()) {
            Tags node = Tags.of("cluster", cluster, "node", n.node().value());
            set("pgops.health.node.up", node, n.reachable() ? 1 : 0, "1 when the node answered its last probe");
            for (ClusterView.CheckView c : n.checks()) {
                Tags tags = node.and("check", c.check(), "unit", c.unit());
                set("pgops.health.check.value", tags, c.measured(), "a check's latest measured value, in its unit");
                set(
                        "pgops.health.check.breached",
                        node.and(
                                "check",
                                c.check(),
                                "severity",
                                c.severity().name().toLowerCase()),
                        c.state() == Watch.State.FAILING ? 1 : 0,
                        "1 while a check's breach is open (debounced)");
            }
        }
    }

    private void set(String name, Tags tags, double value, String help) {
        String key = name + tags;
        AtomicReference<Double> holder = GAUGES.computeIfAbsent(key, k -> new AtomicReference<>(0.0));
        holder.set(value);
        Gauge.builder(name, holder, AtomicReference::get)
                .tags(tags)
                .description(help)
                .strongReference(true)
                .register(registry);
    }
}
