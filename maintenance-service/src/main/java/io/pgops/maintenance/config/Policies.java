package io.pgops.maintenance.config;

import io.pgops.maintenance.domain.VacuumPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/** The settings of one cluster: its overrides, else the service's defaults. */
@ApplicationScoped
public class Policies {
    private final MaintenanceConfig config;

    public Policies(MaintenanceConfig config) {
        this.config = config;
    }

    public VacuumPolicy vacuum(String cluster) {
        MaintenanceConfig.ClusterOverrides o = config.clusters().get(cluster);
        if (o == null) {
            return new VacuumPolicy(
                    config.deadTupleRatio(), config.minDeadTuples(), config.analyzeRatio(), config.minModifications());
        }
        return new VacuumPolicy(
                o.deadTupleRatio().orElse(config.deadTupleRatio()),
                o.minDeadTuples().orElse(config.minDeadTuples()),
                o.analyzeRatio().orElse(config.analyzeRatio()),
                o.minModifications().orElse(config.minModifications()));
    }

    public Duration lockTimeout(String cluster) {
        MaintenanceConfig.ClusterOverrides o = config.clusters().get(cluster);
        return o == null ? config.lockTimeout() : o.lockTimeout().orElse(config.lockTimeout());
    }

    public Duration statementTimeout(String cluster) {
        MaintenanceConfig.ClusterOverrides o = config.clusters().get(cluster);
        return o == null ? config.statementTimeout() : o.statementTimeout().orElse(config.statementTimeout());
    }

    /** The share of an index's size in estimated bloat from which an advised run rebuilds it. */
    public double indexBloatRatio(String cluster) {
        MaintenanceConfig.ClusterOverrides o = config.clusters().get(cluster);
        return o == null ? config.indexBloatRatio() : o.indexBloatRatio().orElse(config.indexBloatRatio());
    }

    /** The lag above which a task of the cluster does not start, bytes. */
    public long maxLagBytes(String cluster) {
        MaintenanceConfig.ClusterOverrides o = config.clusters().get(cluster);
        return o == null ? config.maxLagBytes() : o.maxLagBytes().orElse(config.maxLagBytes());
    }

    /** The {@code replay_lag} above which a task of the cluster does not start. */
    public Duration maxLag(String cluster) {
        MaintenanceConfig.ClusterOverrides o = config.clusters().get(cluster);
        return o == null ? config.maxLag() : o.maxLag().orElse(config.maxLag());
    }

    public Duration migrationLockTimeout(String cluster) {
        MaintenanceConfig.ClusterOverrides o = config.clusters().get(cluster);
        Duration d = config.migration().lockTimeout();
        return o == null ? d : o.migrationLockTimeout().orElse(d);
    }

    public MaintenanceConfig config() {
        return config;
    }
}
