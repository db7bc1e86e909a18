package io.pgops.maintenance.service;

import io.pgops.maintenance.domain.Task;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One maintenance run as it goes: its plan and each task's result so far. Thread-safe. */
public final class Run {
    /** Where a task stands. */
    public enum State {
        PLANNED,
        RUNNING,
        COMPLETED,
        FAILED,
        SKIPPED
    }

    /** Where the run stands. */
    public enum Status {
        RUNNING,
        DONE
    }

    /**
     * A task of the run.
     *
     * @param detail why it is planned, the summary once completed, the error once failed, why it was skipped
     * @param durationMillis how long it ran; null until it ended
     */
    public record TaskView(
            String taskId,
            String task,
            String target,
            State state,
            String detail,
            Long deadTuplesBefore,
            Long deadTuplesAfter,
            Long sizeBytesBefore,
            Long sizeBytesAfter,
            Long reclaimedBytes,
            Long durationMillis) {}

    /** The run as {@code GET /clusters/{id}/maintenance/{runId}} shows it. */
    public record View(
            String runId,
            String cluster,
            String correlationId,
            String node,
            String reason,
            String principal,
            Instant startedAt,
            Instant windowEnd,
            Status status,
            String outcome,
            List<TaskView> tasks) {}

    private final String runId;
    private final String cluster;
    private final String correlationId;
    private final String node;
    private final String reason;
    private final String principal;
    private final Instant startedAt;
    private final Instant windowEnd;
    private final List<Task> plan;
    private final List<TaskView> tasks = new ArrayList<>();
    private Status status = Status.RUNNING;
    private String outcome;

    Run(
            String runId,
            String cluster,
            String correlationId,
            String node,
            String reason,
            String principal,
            Instant startedAt,
            Instant windowEnd,
            List<Task> plan,
            String database) {
        this.runId = runId;
        this.cluster = cluster;
        this.correlationId = correlationId;
        this.node = node;
        this.reason = reason;
        this.principal = principal;
        this.startedAt = startedAt;
        this.windowEnd = windowEnd;
        this.plan = List.copyOf(plan);
        for (int i = 0; i < plan.size(); i++) {
            Task t = plan.get(i);
            tasks.add(new TaskView(
                    taskId(i),
                    t.kind().code(),
                    target(database, t),
                    State.PLANNED,
                    t.reason(),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null));
        }
    }

    /** The target as the events write it: {@code database.schema.name}. */
    static String target(String database, Task t) {
        return database + "." + t.target().text();
    }

    String runId() {
        return runId;
    }

    String node() {
        return node;
    }

    String correlationId() {
        return correlationId;
    }

    Instant windowEnd() {
        return windowEnd;
    }

    List<Task> plan() {
        return plan;
    }

    /** {@code mt-<first 8 of the run id>-<n>}, n from 1. */
    String taskId(int index) {
        return "mt-" + runId.substring(0, 8) + "-" + (index + 1);
    }

    synchronized void update(int index, TaskView view) {
        tasks.set(index, view);
    }

    synchronized TaskView task(int index) {
        return tasks.get(index);
    }

    synchronized void finish(String outcome) {
        this.status = Status.DONE;
        this.outcome = outcome;
    }

    public synchronized View view() {
        return new View(
                runId,
                cluster,
                correlationId,
                node,
                reason,
                principal,
                startedAt,
                windowEnd,
                status,
                outcome,
                List.copyOf(tasks));
    }
}
