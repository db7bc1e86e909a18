package io.pgops.maintenance.service;

import io.pgops.events.model.ClusterId;
import io.pgops.kit.inventory.Inventory;
import io.pgops.maintenance.config.MaintenanceConfig;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Opens each cluster's maintenance window ({@code pgops.maintenance.clusters.<id>.window.cron} and
 * {@code .duration}, UTC): at its start a run with the advised plan, principal {@value #PRINCIPAL}, whose
 * {@code MaintenanceDue} events are published at once and whose tasks start only while the window lasts. A
 * window that opens while the cluster's previous run still goes is skipped, and the log says so.
 */
@Startup
@ApplicationScoped
public class Windows {
    static final String PRINCIPAL = "maintenance-window";
    private static final Logger LOG = Logger.getLogger(Windows.class);

    public Windows(MaintenanceConfig config, Inventory inventory, Scheduler scheduler, MaintenanceRunner runner) {
        config.clusters()
                .forEach((id, overrides) -> overrides.window().ifPresent(w -> {
                    if (!inventory.clusters().containsKey(id)) {
                        throw new IllegalStateException("pgops.maintenance.clusters." + id
                                + ".window names a cluster that is not in the inventory (pgops.clusters.*)");
                    }
                    ClusterId cluster = ClusterId.of(id);
                    String reason = "maintenance window (cron '" + w.cron() + "' UTC, "
                            + w.duration().toMinutes() + " min)";
                    scheduler
                            .newJob("maintenance-window-" + id)
                            .setCron(w.cron())
                            .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                            .setTask(execution -> open(runner, cluster, reason, w))
                            .schedule();
                    LOG.infof("cluster %s: %s", id, reason);
                }));
    }

    private static void open(MaintenanceRunner runner, ClusterId cluster, String reason, MaintenanceConfig.Window w) {
        try {
            Run.View run = runner.request(cluster, reason, List.of(), w.duration(), PRINCIPAL);
            LOG.infof(
                    "cluster %s: window opened, run %s with %d task(s) until %s",
                    cluster.value(), run.runId(), run.tasks().size(), run.windowEnd());
        } catch (MaintenanceRunner.AlreadyRunning e) {
            LOG.warnf("cluster %s: window skipped: %s", cluster.value(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf("cluster %s: window could not open: %s", cluster.value(), e.getMessage());
        }
    }
}
