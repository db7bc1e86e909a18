package io.pgops.health.config;

import io.pgops.health.domain.Debounce;
import io.pgops.health.domain.Thresholds;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A cluster's limits: its overrides where it has them, the defaults elsewhere. */
@ApplicationScoped
public class ThresholdsResolver {
    private final HealthConfig config;

    public ThresholdsResolver(HealthConfig config) {
        this.config = config;
    }

    /**
     * @param cluster the cluster id
     * @param pgopsUser the inventory's account for the cluster, always allowed as a network superuser
     */
    public Thresholds forCluster(String cluster, String pgopsUser) {
        Limits d = config.limits();
        ClusterOverrides o = config.clusters().get(cluster);
        Optional<ClusterOverrides> c = Optional.ofNullable(o);
        Set<String> superusers = new HashSet<>(c.flatMap(ClusterOverrides::networkSuperusers)
                .or(d::networkSuperusers)
                .orElse(List.of()));
        superusers.add(pgopsUser);
        return new Thresholds(
                new Debounce(
                        c.flatMap(ClusterOverrides::failuresToBreach).orElse(config.failuresToBreach()),
                        c.flatMap(ClusterOverrides::passesToRecover).orElse(config.passesToRecover())),
                c.flatMap(ClusterOverrides::lagBytes).orElse(d.lagBytes()).asLongValue(),
                c.flatMap(ClusterOverrides::lagTime).orElse(d.lagTime()),
                c.flatMap(ClusterOverrides::slotRetainedWal)
                        .orElse(d.slotRetainedWal())
                        .asLongValue(),
                c.flatMap(ClusterOverrides::inactiveSlots).orElse(d.inactiveSlots()),
                c.flatMap(ClusterOverrides::longQueryAge).orElse(d.longQueryAge()),
                c.flatMap(ClusterOverrides::longQueryCount).orElse(d.longQueryCount()),
                c.flatMap(ClusterOverrides::idleInTransactionAge).orElse(d.idleInTransactionAge()),
                c.flatMap(ClusterOverrides::blockedAge).orElse(d.blockedAge()),
                c.flatMap(ClusterOverrides::blockedSessions).orElse(d.blockedSessions()),
                c.flatMap(ClusterOverrides::connectionsWarning).orElse(d.connectionsWarning()),
                c.flatMap(ClusterOverrides::connectionsCritical).orElse(d.connectionsCritical()),
                c.flatMap(ClusterOverrides::xidAge).orElse(d.xidAge()),
                c.flatMap(ClusterOverrides::multixactAge).orElse(d.multixactAge()),
                c.flatMap(ClusterOverrides::activityWindow).orElse(d.activityWindow()),
                c.flatMap(ClusterOverrides::archiveFailures).orElse(d.archiveFailures()),
                c.flatMap(ClusterOverrides::checkpointsRequestedRatio).orElse(d.checkpointsRequestedRatio()),
                c.flatMap(ClusterOverrides::tempBytes).orElse(d.tempBytes()).asLongValue(),
                c.flatMap(ClusterOverrides::deadlocks).orElse(d.deadlocks()),
                c.flatMap(ClusterOverrides::sslRequired).orElse(d.sslRequired()),
                c.flatMap(ClusterOverrides::pgauditRequired).orElse(d.pgauditRequired()),
                superusers,
                c.flatMap(ClusterOverrides::topologySettle).orElse(d.topologySettle()),
                c.flatMap(ClusterOverrides::backupMaxAge).orElse(d.backupMaxAge()));
    }
}
