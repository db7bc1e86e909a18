package io.pgops.maintenance.service;

import io.pgops.events.maintenance.MaintenanceCompleted;
import io.pgops.events.maintenance.MaintenanceFailed;
import io.pgops.events.maintenance.MaintenanceStarted;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.maintenance.config.Policies;
import io.pgops.maintenance.domain.LagGuard;
import io.pgops.maintenance.domain.Task;
import io.pgops.maintenance.domain.TaskOutcome;
import io.pgops.maintenance.domain.TaskPlanner;
import io.pgops.maintenance.messaging.MaintenanceEventPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Runs a planned run's tasks one at a time on the primary, each statement under the cluster's
 * {@code lock_timeout} and {@code statement_timeout}: a task that cannot get its lock fails at once instead of
 * queueing the application's writes behind it. Before each task the planner says whether it still fits the
 * window; one that does not is cancelled before it starts ({@code MaintenanceFailed} says why). Each task's
 * target is measured before and after (dead tuples, size) for {@code MaintenanceCompleted}.
 */
@ApplicationScoped
public class RunExecutor {
    private static final Logger LOG = Logger.getLogger(RunExecutor.class);

    private final ClusterNodes nodes;
    private final Policies policies;
    private final MaintenanceEventPublisher publisher;
    private final Topologies topologies;
    private final Clock clock = Clock.systemUTC();

    public RunExecutor(
            ClusterNodes nodes, Policies policies, MaintenanceEventPublisher publisher, Topologies topologies) {
        this.nodes = nodes;
        this.topologies = topologies;
        this.policies = policies;
        this.publisher = publisher;
    }

    public void execute(ClusterId id, Run run) {
        int completed = 0;
        int failed = 0;
        int skipped = 0;
        NodeSql sql = null;
        try {
            for (int i = 0; i < run.plan().size(); i++) {
                Task t = run.plan().get(i);
                Run.TaskView planned = run.task(i);
                Instant now = clock.instant();
                TaskPlanner.Decision d = TaskPlanner.next(
                        t, now, run.windowEnd(), policies.config().estimateBytesPerSecond());
                var waitFor = topologies.waitReason(id);
                if (waitFor.isPresent()) {
                    fail(
                            id,
                            run,
                            i,
                            planned,
                            NodeName.of(run.node()),
                            "postponed: " + waitFor.get(),
                            0,
                            Run.State.SKIPPED);
                    skipped++;
                    continue;
                }
                if (!d.start()) {
                    fail(
                            id,
                            run,
                            i,
                            planned,
                            NodeName.of(run.node()),
                            "cancelled before it started: " + d.reason(),
                            0,
                            Run.State.SKIPPED);
                    skipped++;
                    continue;
                }
                if (sql == null) {
                    try {
                        sql = open(id);
                    } catch (RuntimeException e) {
                        fail(
                                id,
                                run,
                                i,
                                planned,
                                NodeName.of(run.node()),
                                "not started: " + e.getMessage(),
                                0,
                                Run.State.FAILED);
                        failed++;
                        continue;
                    }
                }
                Optional<String> lag;
                try {
                    lag = lagReason(id, sql);
                } catch (NodeSql.SqlFailure e) {
                    fail(
                            id,
                            run,
                            i,
                            planned,
                            sql.node(),
                            "not started: cannot read the standbys' lag: " + error(e),
                            0,
                            Run.State.FAILED);
                    failed++;
                    if (!sql.isUsable()) {
                        sql.close();
                        sql = null;
                    }
                    continue;
                }
                if (lag.isPresent()) {
                    fail(id, run, i, planned, sql.node(), "postponed: " + lag.get(), 0, Run.State.SKIPPED);
                    skipped++;
                    continue;
                }
                if (runTask(id, run, i, t, planned, sql)) {
                    completed++;
                } else {
                    failed++;
                    if (!sql.isUsable()) {
                        sql.close();
                        sql = null;
                    }
                }
            }
            run.finish(completed + " completed, " + failed + " failed, " + skipped + " skipped");
        } catch (RuntimeException e) {
            LOG.errorf("maintenance run %s of %s stopped: %s", run.runId(), id.value(), e.getMessage());
            run.finish("stopped: " + e.getMessage());
        } finally {
            if (sql != null) {
                sql.close();
            }
        }
    }

    /** Why the standbys hold the task back, read on the primary just before it; the inventory's nodes only. */
    private Optional<String> lagReason(ClusterId id, NodeSql sql) {
        Set<String> standbys = nodes.cluster(id).nodes().keySet();
        List<LagGuard.StandbyLag> lags = sql
                .list(
                        Queries.STANDBY_LAG,
                        r -> new LagGuard.StandbyLag(
                                r.getString(0),
                                r.getLong(1),
                                r.getLong(2) == null ? null : Duration.ofMillis(r.getLong(2))))
                .stream()
                .filter(l -> standbys.contains(l.name()))
                .toList();
        return LagGuard.waitReason(lags, policies.maxLagBytes(id.value()), policies.maxLag(id.value()));
    }

    private NodeSql open(ClusterId id) {
        NodeSql sql = nodes.primary(id, policies.statementTimeout(id.value()));
        try {
            sql.timeouts(policies.lockTimeout(id.value()), policies.statementTimeout(id.value()));
        } catch (RuntimeException e) {
            sql.close();
            throw e;
        }
        return sql;
    }

    /** One task: measure, started, the statement, measure, completed; or failed. Whether it completed. */
    private boolean runTask(ClusterId id, Run run, int i, Task t, Run.TaskView planned, NodeSql sql) {
        NodeName node = sql.node();
        Catalogue.Measure before;
        try {
            before = Catalogue.measure(sql, t.target());
        } catch (NodeSql.SqlFailure e) {
            fail(id, run, i, planned, node, "not started: " + error(e), 0, Run.State.FAILED);
            return false;
        }
        if (before.sizeBytes() == null) {
            fail(
                    id,
                    run,
                    i,
                    planned,
                    node,
                    "not started: " + t.target().text() + " no longer exists",
                    0,
                    Run.State.SKIPPED);
            return false;
        }
        String taskId = planned.taskId();
        publisher.publish(
                new MaintenanceStarted(id, taskId, node, planned.task(), planned.target(), clock.instant()),
                run.correlationId());
        run.update(i, withState(planned, Run.State.RUNNING, planned.detail()));
        long start = System.nanoTime();
        try {
            sql.execute(t.kind().sql(t.target()));
        } catch (NodeSql.SqlFailure e) {
            fail(id, run, i, planned, node, error(e), (System.nanoTime() - start) / 1_000_000, Run.State.FAILED);
            return false;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        Catalogue.Measure after = Catalogue.measure(sql, t.target());
        TaskOutcome o = Catalogue.Measure.between(before, after);
        String summary = o.summary(t.kind(), t.target());
        publisher.publish(
                new MaintenanceCompleted(
                        id,
                        taskId,
                        node,
                        planned.task(),
                        planned.target(),
                        o.reclaimedBytes(),
                        o.deadTuplesBefore(),
                        o.deadTuplesAfter(),
                        o.sizeBytesBefore(),
                        o.sizeBytesAfter(),
                        millis,
                        summary,
                        clock.instant()),
                run.correlationId());
        run.update(
                i,
                new Run.TaskView(
                        taskId,
                        planned.task(),
                        planned.target(),
                        Run.State.COMPLETED,
                        summary,
                        o.deadTuplesBefore(),
                        o.deadTuplesAfter(),
                        o.sizeBytesBefore(),
                        o.sizeBytesAfter(),
                        o.reclaimedBytes(),
                        millis));
        LOG.infof("maintenance %s %s: %s in %d ms", run.runId(), taskId, summary, millis);
        return true;
    }

    private void fail(
            ClusterId id,
            Run run,
            int i,
            Run.TaskView planned,
            NodeName node,
            String error,
            long millis,
            Run.State state) {
        publisher.publish(
                new MaintenanceFailed(
                        id, planned.taskId(), node, planned.task(), planned.target(), error, millis, clock.instant()),
                run.correlationId());
        Run.TaskView v = withState(planned, state, error);
        run.update(
                i,
                new Run.TaskView(v.taskId(), v.task(), v.target(), state, error, null, null, null, null, null, millis));
        LOG.warnf("maintenance %s %s %s: %s", run.runId(), planned.taskId(), state, error);
    }

    private static Run.TaskView withState(Run.TaskView v, Run.State state, String detail) {
        return new Run.TaskView(
                v.taskId(),
                v.task(),
                v.target(),
                state,
                detail,
                v.deadTuplesBefore(),
                v.deadTuplesAfter(),
                v.sizeBytesBefore(),
                v.sizeBytesAfter(),
                v.reclaimedBytes(),
                v.durationMillis());
    }

    private static String error(NodeSql.SqlFailure e) {
        return e.getMessage() + (e.sqlState() == null ? "" : " (SQLSTATE " + e.sqlState() + ")");
    }
}
