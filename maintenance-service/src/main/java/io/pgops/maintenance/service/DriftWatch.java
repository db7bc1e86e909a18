package io.pgops.maintenance.service;

import io.pgops.events.model.ClusterId;
import io.pgops.maintenance.config.MaintenanceConfig;
import io.pgops.maintenance.domain.ConfigComparison;
import io.pgops.maintenance.domain.DriftMemory;
import io.pgops.maintenance.domain.HostFacts;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The scheduled configuration check: every {@code pgops.maintenance.config-check-every} (1 h), each cluster whose
 * host facts are declared or reported by its agents ({@code HostFactsReported}) is compared with the advisor's
 * recommendations, and so are the host settings its agents reported (source {@code host}), and each difference is
 * published as
 * {@code ConfigDriftDetected} when first seen or changed ({@link DriftMemory}), under one correlation id per check,
 * with no principal (the scheduler). A node that cannot be read is logged and looked at again next time.
 */
@ApplicationScoped
public class DriftWatch {
    private static final Logger LOG = Logger.getLogger(DriftWatch.class);

    private final MaintenanceConfig config;
    private final ConfigReview review;
    private final Scheduler scheduler;
    private final Map<String, DriftMemory> memories = new HashMap<>();

    private final ReportedHosts reported;

    public DriftWatch(MaintenanceConfig config, ConfigReview review, Scheduler scheduler, ReportedHosts reported) {
        this.config = config;
        this.reported = reported;
        this.review = review;
        this.scheduler = scheduler;
    }

    void start(@Observes StartupEvent e) {
        String every = config.configCheckEvery().trim();
        if (every.equalsIgnoreCase("off")) {
            LOG.info("scheduled configuration check: off");
            return;
        }
        scheduler
                .newJob("config-drift-check")
                .setInterval(every)
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setTask(execution -> clusters().forEach(this::check))
                .schedule();
        LOG.infof("scheduled configuration check every %s of the clusters with declared or reported host facts", every);
    }

    /** The clusters whose host facts are declared, and those an agent reported for. */
    private List<String> clusters() {
        Set<String> ids = new TreeSet<>(reported.clusters());
        config.clusters().entrySet().stream()
                .filter(c -> c.getValue().host().isPresent())
                .forEach(c -> ids.add(c.getKey()));
        return List.copyOf(ids);
    }

    /** One check of one cluster: what is new is published. */
    synchronized void check(String cluster) {
        ClusterId id = ClusterId.of(cluster);
        try {
            HostFacts facts = review.facts(id, null);
            ConfigReview.Advice a = review.advise(id, facts, null);
            DriftMemory memory = memories.computeIfAbsent(cluster, c -> new DriftMemory());
            String correlation = UUID.randomUUID().toString();
            int published = 0;
            for (ConfigReview.NodeDrift n : a.nodes()) {
                // the host's settings come from its agent's report, whether or not PostgreSQL answered
                String hostKey = n.node() + " (host)";
                List<ConfigComparison.Drift> hostNews = memory.news(hostKey, n.host());
                review.publishHost(id, n.node(), hostNews, correlation, null);
                memory.published(hostKey, n.host());
                published += hostNews.size();
                if (n.unreachable() != null) {
                    LOG.warnf("configuration check of %s/%s: not read: %s", cluster, n.node(), n.unreachable());
                    continue;
                }
                List<ConfigComparison.Drift> news = memory.news(n.node(), n.drifts());
                review.publish(id, facts, n.node(), news, correlation, null);
                memory.published(n.node(), n.drifts());
                published += news.size();
            }
            LOG.infof("configuration check of %s: %d new or changed difference(s) published", cluster, published);
        } catch (RuntimeException ex) {
            LOG.errorf("configuration check of %s failed: %s", cluster, ex.getMessage());
        }
    }
}
