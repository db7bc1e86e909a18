package io.pgops.backup.service;

import io.pgops.backup.config.BackupConfig;
import io.pgops.backup.domain.AfterFailover;
import io.pgops.backup.domain.CatalogueEntry;
import io.pgops.backup.domain.FailoverSource;
import io.pgops.events.EventEnvelope;
import io.pgops.events.Requester;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Timeline;
import io.pgops.events.replication.FailoverCompleted;
import io.pgops.kit.inventory.Inventory;
import io.pgops.pgtools.PgBinaries;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * A fresh full backup after each {@code FailoverCompleted} ({@link AfterFailover} decides), through the same path as
 * {@code POST /clusters/{id}/backups}: {@code BackupRequested} with principal {@value #PRINCIPAL} and the failover in
 * the reason, then the backup's own events, all under the failover's correlation id, so one incident reads from the
 * breach to the first base on the new timeline. The source is chosen when the worker starts the backup, among the
 * nodes that report the new timeline ({@link FailoverSource}), and the backup fails at {@code start} rather than
 * come from an older timeline. One backup per cluster and new timeline in this instance: a record delivered again
 * (same event, same timeline) is skipped, and the catalogue skips what an earlier run already covered.
 */
@ApplicationScoped
public class FailoverBackups {
    /** The principal of backups after a failover, in {@code BackupRequested} and the events' {@code pgopsprincipal}. */
    public static final String PRINCIPAL = "pgops-failover";

    private static final Logger LOG = Logger.getLogger(FailoverBackups.class);
    private static final Requester FAILOVER = new Requester(PRINCIPAL, List.of());

    private final BackupConfig config;
    private final Inventory inventory;
    private final BackupRunner runner;
    /** {@code <cluster>@<timeline>} of every backup this instance requested after a failover. */
    private final Set<String> requested = ConcurrentHashMap.newKeySet();

    public FailoverBackups(BackupConfig config, Inventory inventory, BackupRunner runner) {
        this.config = config;
        this.inventory = inventory;
        this.runner = runner;
    }

    /** Decides on {@code f} (delivered in {@code envelope}) and, when it says so, queues the backup; the decision. */
    public AfterFailover.Decision completed(EventEnvelope envelope, FailoverCompleted f) {
        ClusterId cluster = f.cluster();
        Inventory.Cluster c = inventory.clusters().get(cluster.value());
        String key = cluster.value() + "@" + f.newTimeline().value();
        String what = f.kind() + " from " + f.oldPrimary() + " to " + f.newPrimary() + " (term "
                + f.term().value() + ", event " + envelope.id() + ")";
        AfterFailover.Decision d = AfterFailover.decide(
                config.afterFailover(),
                c != null,
                what,
                f.newTimeline(),
                requested.contains(key),
                c == null ? Optional.empty() : newestTimeline(cluster),
                c == null ? Optional.empty() : runner.busy(cluster));
        if (d.action() == AfterFailover.Action.SKIP || !requested.add(key)) {
            LOG.infof("cluster %s: %s", cluster.value(), d.reason());
            return d;
        }
        try {
            runner.requestOnTimeline(
                    cluster,
                    d.reason(),
                    envelope.correlationId(),
                    FAILOVER,
                    cl -> choose(cluster, cl, f.newPrimary(), f.newTimeline()),
                    f.newTimeline(),
                    f.newPrimary());
        } catch (RuntimeException e) {
            requested.remove(key); // not requested: a redelivery may try again
            throw e;
        }
        LOG.infof("cluster %s: %s (correlation %s)", cluster.value(), d.reason(), envelope.correlationId());
        return d;
    }

    private Optional<Timeline> newestTimeline(ClusterId cluster) {
        try {
            return runner.list(cluster, Optional.empty()).stream()
                    .map(CatalogueEntry::timeline)
                    .max(Timeline::compareTo);
        } catch (RuntimeException e) {
            LOG.warnf("cluster %s: the catalogue could not be read (%s): taken as holding no backup", cluster, e);
            return Optional.empty();
        }
    }

    /** Asks every node of the inventory which timeline it is on (IDENTIFY_SYSTEM), then {@link FailoverSource}. */
    private FailoverSource.Choice choose(ClusterId cluster, Inventory.Cluster c, NodeName newPrimary, Timeline tl) {
        BaseBackup base = new BaseBackup(PgBinaries.locate(), Duration.ofMinutes(1));
        List<FailoverSource.Observed> seen = new ArrayList<>();
        for (Map.Entry<String, Inventory.Node> e : c.nodes().entrySet()) {
            NodeName node = NodeName.of(e.getKey());
            Optional<Timeline> on;
            try {
                on = Optional.of(base.identify(BackupRunner.source(
                                config,
                                c,
                                cluster,
                                node,
                                e.getValue().host(),
                                e.getValue().port()))
                        .timeline());
            } catch (BackupFailure | RuntimeException x) {
                on = Optional.empty();
            }
            seen.add(new FailoverSource.Observed(node, e.getValue().roleHint(), on));
        }
        return FailoverSource.choose(seen, newPrimary, tl);
    }
}
