package io.pgops.health.service;

import io.pgops.events.health.HealthEvent;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.health.config.HealthConfig;
import io.pgops.health.domain.Debounce;
import io.pgops.health.domain.NodeWatch;
import io.pgops.health.messaging.HealthEventPublisher;
import io.pgops.kit.inventory.Inventory;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Every interval, probes every node of every cluster in the inventory, feeds each node's
 * {@link NodeWatch}, and publishes what the watches decide.
 */
@ApplicationScoped
public class ProbeScheduler {
    private static final Logger LOG = Logger.getLogger(ProbeScheduler.class);

    private final Inventory inventory;
    private final NodeProber prober;
    private final HealthEventPublisher publisher;
    private final Debounce debounce;
    private final Map<String, NodeWatch> watches = new ConcurrentHashMap<>();

    public ProbeScheduler(Inventory inventory, NodeProber prober, HealthEventPublisher publisher, HealthConfig config) {
        this.inventory = inventory;
        this.prober = prober;
        this.publisher = publisher;
        this.debounce = new Debounce(config.failuresToBreach(), config.passesToRecover());
    }

    @Scheduled(every = "${pgops.health.interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> probeAll() {
        List<Uni<Void>> probes = new ArrayList<>();
        inventory
                .clusters()
                .forEach((clusterId, cluster) -> cluster.nodes().forEach((nodeName, node) -> {
                    NodeWatch watch = watches.computeIfAbsent(
                            clusterId + "/" + nodeName,
                            k -> new NodeWatch(
                                    ClusterId.of(clusterId),
                                    NodeName.of(nodeName),
                                    node.host(),
                                    node.port(),
                                    debounce));
                    probes.add(prober.probe(cluster, node).onItem().transformToUni(outcome -> {
                        NodeWatch.Decision decision = watch.observe(outcome);
                        if (decision.events().isEmpty()) {
                            return Uni.createFrom().voidItem();
                        }
                        LOG.infof("%s/%s: %s", clusterId, nodeName, decision.reason());
                        List<Uni<Void>> sends = new ArrayList<>();
                        for (HealthEvent e : decision.events()) {
                            sends.add(Uni.createFrom()
                                    .completionStage(() -> publisher.publish(e, decision.correlationId())));
                        }
                        return Uni.join().all(sends).andCollectFailures().replaceWithVoid();
                    }));
                }));
        if (probes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join()
                .all(probes)
                .andCollectFailures()
                .replaceWithVoid()
                .onFailure()
                .invoke(e -> LOG.warnf("publishing health events failed: %s", e.getMessage()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }
}
