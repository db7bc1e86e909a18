package io.pgops.health.service;

import io.pgops.health.config.HealthConfig;
import io.pgops.health.domain.Publication;
import io.pgops.health.domain.sample.NodeSample;
import io.pgops.health.messaging.HealthEventPublisher;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Every interval, probes every node of every cluster at once, lets each cluster's watch judge the
 * cycle, publishes what it decided and refreshes the metrics. A dead node is a finding, never an
 * error of the service.
 */
@ApplicationScoped
public class ProbeScheduler {
    private static final Logger LOG = Logger.getLogger(ProbeScheduler.class);

    private final Clusters clusters;
    private final HealthEventPublisher publisher;
    private final HealthMetrics metrics;
    private final int textLength;

    public ProbeScheduler(
            Clusters clusters, HealthEventPublisher publisher, HealthMetrics metrics, HealthConfig config) {
        this.clusters = clusters;
        this.publisher = publisher;
        this.metrics = metrics;
        this.textLength = config.queryTextLength();
    }

    /**
     * Starts a cycle for every cluster whose previous cycle has finished. Clusters do not wait for
     * each other: a hung node delays only its own cluster's next cycle (by at most the probe
     * timeout), never the other clusters'.
     */
    @Scheduled(every = "${pgops.health.interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void probeAll() {
        for (Clusters.Watched c : clusters.all()) {
            if (!c.busy().compareAndSet(false, true)) {
                LOG.debugf("%s: previous cycle still running, skipped this tick", c.id());
                continue;
            }
            cycle(c).invoke(() -> c.lastCycle().set(Instant.now()))
                    .eventually(() -> c.busy().set(false))
                    .subscribe()
                    .with(ok -> {}, e -> LOG.warnf("%s: a probe cycle failed: %s", c.id(), e.getMessage()));
        }
    }

    Uni<Void> cycle(Clusters.Watched c) {
        Instant start = Instant.now();
        List<Uni<NodeSample>> probes = new ArrayList<>();
        c.sessions().values().forEach(s -> probes.add(s.probe(c.thresholds(), textLength)));
        return Uni.join().all(probes).andFailFast().onItem().transformToUni(samples -> {
            List<Publication> decided = c.watch().observe(samples, c.thresholds());
            metrics.cycle(c.id().value(), Duration.between(start, Instant.now()));
            metrics.update(c.watch().view(Instant.now()));
            return publish(c, decided);
        });
    }

    private Uni<Void> publish(Clusters.Watched c, List<Publication> decided) {
        if (decided.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<Void>> sends = new ArrayList<>();
        for (Publication p : decided) {
            LOG.infof("%s: %s", c.id(), p.reason());
            sends.add(Uni.createFrom().completionStage(() -> publisher.publish(p.event(), p.correlationId())));
        }
        return Uni.join().all(sends).andCollectFailures().replaceWithVoid();
    }
}
