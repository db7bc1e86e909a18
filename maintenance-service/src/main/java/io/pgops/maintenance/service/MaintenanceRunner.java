package io.pgops.maintenance.service;

import io.pgops.events.Requester;
import io.pgops.events.maintenance.MaintenanceDue;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.maintenance.config.Policies;
import io.pgops.maintenance.domain.IndexAdvisor;
import io.pgops.maintenance.domain.IndexBloatEstimate;
import io.pgops.maintenance.domain.IndexFinding;
import io.pgops.maintenance.domain.ObjectName;
import io.pgops.maintenance.domain.Task;
import io.pgops.maintenance.domain.TaskKind;
import io.pgops.maintenance.domain.TaskPlanner;
import io.pgops.maintenance.domain.VacuumAdvisor;
import io.pgops.maintenance.domain.VacuumPolicy;
import io.pgops.maintenance.messaging.MaintenanceEventPublisher;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * A maintenance run on command. Everything is checked before anything is published or run: the cluster, its
 * primary, each task's kind and target (found in the catalogue, else refused); then {@code MaintenanceDue} is
 * published per task and the run goes on in the background ({@link RunExecutor}), one run per cluster at a
 * time.
 */
@ApplicationScoped
public class MaintenanceRunner {
    private static final int KEPT_RUNS = 200;

    private final ClusterNodes nodes;
    private final Policies policies;
    private final MaintenanceEventPublisher publisher;
    private final RunExecutor executor;
    private final Topologies topologies;
    private final Clock clock = Clock.systemUTC();
    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("maintenance-run-", 0).factory());
    private final Map<String, String> busy = new ConcurrentHashMap<>();
    private final Map<String, Run> runs = new LinkedHashMap<>();

    public MaintenanceRunner(
            ClusterNodes nodes,
            Policies policies,
            MaintenanceEventPublisher publisher,
            RunExecutor executor,
            Topologies topologies) {
        this.nodes = nodes;
        this.topologies = topologies;
        this.policies = policies;
        this.publisher = publisher;
        this.executor = executor;
    }

    /** A task named by a request: its wire code and its target ({@code schema.name} or {@code name}). */
    public record RequestedTask(String task, String target) {}

    /** The request cannot run as asked (422): an unknown task, or an index that is not an invalid leftover. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    /** A failover or switchover of the cluster is under way (409): the run waits for the roles to settle. */
    public static final class Postponed extends RuntimeException {
        public Postponed(String message) {
            super(message);
        }
    }

    /** A run of this cluster is still going (409). */
    public static final class AlreadyRunning extends RuntimeException {
        public AlreadyRunning(String message) {
            super(message);
        }
    }

    /**
     * Plans the run, publishes its {@code MaintenanceDue} events and starts it.
     *
     * @param requested the tasks asked for by name; empty: what the vacuum and index advisors find
     * @param window how long the run may start tasks; null: the configured default
     */
    public Run.View request(
            ClusterId id, String reason, List<RequestedTask> requested, Duration window, String principal) {
        return request(id, reason, requested, window, principal, null);
    }

    /** A run an authenticated caller asked for: its events name them ({@link Requester}). */
    public Run.View request(
            ClusterId id, String reason, List<RequestedTask> requested, Duration window, Requester requester) {
        return request(id, reason, requested, window, requester.principal(), requester);
    }

    private Run.View request(
            ClusterId id,
            String reason,
            List<RequestedTask> requested,
            Duration window,
            String principal,
            Requester requester) {
        nodes.cluster(id);
        topologies.waitReason(id).ifPresent(why -> {
            throw new Postponed(why);
        });
        Duration w = window == null ? policies.config().defaultWindow() : window;
        String runId = UUID.randomUUID().toString();
        String running = busy.putIfAbsent(id.value(), runId);
        if (running != null) {
            throw new AlreadyRunning("run " + running + " of cluster '" + id.value() + "' is still going");
        }
        boolean started = false;
        try {
            Instant now = clock.instant();
            List<Task> plan;
            String node;
            try (NodeSql sql = nodes.primary(id, policies.config().reportTimeout())) {
                node = sql.node().value();
                List<Task> tasks = requested == null || requested.isEmpty()
                        ? advised(
                                sql,
                                policies.vacuum(id.value()),
                                policies.config().minBloatBytes(),
                                policies.indexBloatRatio(id.value()))
                        : asked(sql, requested, reason, principal);
                plan = TaskPlanner.plan(tasks);
            }
            String database = nodes.database(id);
            Run run = new Run(
                    runId,
                    id.value(),
                    UUID.randomUUID().toString(),
                    node,
                    reason,
                    principal,
                    now,
                    now.plus(w),
                    plan,
                    database);
            for (Task t : plan) {
                publisher.publish(
                        new MaintenanceDue(
                                id,
                                NodeName.of(node),
                                t.kind().code(),
                                Run.target(database, t),
                                t.reason(),
                                run.windowEnd(),
                                now),
                        run.correlationId(),
                        requester);
            }
            synchronized (runs) {
                runs.put(runId, run);
                if (runs.size() > KEPT_RUNS) {
                    runs.remove(runs.keySet().iterator().next());
                }
            }
            threads.submit(() -> {
                try {
                    executor.execute(id, run);
                } finally {
                    busy.remove(id.value(), runId);
                }
            });
            started = true;
            return run.view();
        } finally {
            if (!started) {
                busy.remove(id.value(), runId);
            }
        }
    }

    public Optional<Run.View> run(ClusterId id, String runId) {
        synchronized (runs) {
            return Optional.ofNullable(runs.get(runId))
                    .map(Run::view)
                    .filter(v -> v.cluster().equals(id.value()));
        }
    }

    /** The cluster's recent runs, newest first. */
    public List<Run.View> runs(ClusterId id) {
        nodes.cluster(id);
        List<Run.View> out = new ArrayList<>();
        synchronized (runs) {
            runs.values().forEach(r -> out.addFirst(r.view()));
        }
        return out.stream().filter(v -> v.cluster().equals(id.value())).toList();
    }

    private static List<Task> advised(NodeSql sql, VacuumPolicy policy, long minBloatBytes, double indexBloatRatio) {
        List<Task> tasks = new ArrayList<>(VacuumAdvisor.candidates(Catalogue.tables(sql, policy), policy));
        tasks.addAll(IndexAdvisor.tasks(IndexAdvisor.findings(Catalogue.indexes(sql))));
        tasks.addAll(IndexBloatEstimate.reindexTasks(Catalogue.indexBloatFacts(sql), minBloatBytes, indexBloatRatio));
        return tasks;
    }

    private static List<Task> asked(NodeSql sql, List<RequestedTask> requested, String reason, String principal) {
        List<Task> tasks = new ArrayList<>();
        Map<ObjectName, IndexFinding> invalid = null;
        for (RequestedTask r : requested) {
            TaskKind kind = TaskKind.ofCode(r.task())
                    .orElseThrow(() -> new Refused("unknown task '" + r.task() + "'; one of "
                            + Arrays.stream(TaskKind.values())
                                    .map(TaskKind::code)
                                    .toList()));
            ObjectName target = Catalogue.resolve(sql, kind, r.target());
            if (kind == TaskKind.DROP_INVALID_INDEX) {
                if (invalid == null) {
                    invalid = IndexAdvisor.findings(Catalogue.indexes(sql)).stream()
                            .filter(f -> f.remedy() == TaskKind.DROP_INVALID_INDEX)
                            .collect(Collectors.toMap(IndexFinding::index, f -> f, (a, b) -> a));
                }
                if (!invalid.containsKey(target)) {
                    throw new Refused("index " + target.text() + " is not an invalid leftover of a failed concurrent"
                            + " build (it is valid, backs a constraint or is being built): pgops drops nothing else");
                }
            }
            long size = Catalogue.sizeEstimate(sql, target);
            tasks.add(new Task(kind, target, "asked by " + principal + ": " + reason, 0, size));
        }
        return tasks;
    }

    @PreDestroy
    void stop() {
        threads.shutdownNow();
    }
}
