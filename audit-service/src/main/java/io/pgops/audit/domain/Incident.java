package io.pgops.audit.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The story of one flow (one correlation id): its events in the order they happened, each with the
 * time since the flow started and since the step before — how long the breach took to be decided
 * on, the fence to be confirmed, the promotion to complete.
 *
 * @param correlationId the flow
 * @param cluster the cluster of its first step
 * @param startedAt when its first step happened
 * @param endedAt when its last step happened
 * @param durationMillis from the first step to the last, in milliseconds
 * @param steps every step, ordered by event time, then by recording order
 * @param open whether something the flow started still waits ({@link IncidentState}): a breach not recovered, a
 *     failover or switchover not completed nor refused, a backup, restore, run or migration not finished
 * @param waitingFor what it waits for, in words; null when closed
 */
public record Incident(
        String correlationId,
        String cluster,
        Instant startedAt,
        Instant endedAt,
        long durationMillis,
        List<Step> steps,
        boolean open,
        String waitingFor) {

    /**
     * One recorded event of the flow.
     *
     * @param seq its position in the audit trail
     * @param type the CloudEvents type
     * @param cluster the cluster
     * @param node the node it is about, or null
     * @param source the emitting service
     * @param principal who asked, for a command; else null
     * @param time when it happened
     * @param data the event's payload
     */
    public record Fact(
            long seq,
            String type,
            String cluster,
            String node,
            String source,
            String principal,
            Instant time,
            Map<String, Object> data) {}

    /**
     * A fact placed on the timeline.
     *
     * @param sinceStartMillis milliseconds since the flow's first step
     * @param sincePreviousMillis milliseconds since the step before; 0 for the first
     */
    public record Step(Fact fact, long sinceStartMillis, long sincePreviousMillis) {}

    /** The incident told by these facts (in any order); at least one fact. */
    public static Incident of(String correlationId, List<Fact> facts) {
        if (facts.isEmpty()) {
            throw new IllegalArgumentException("an incident has at least one step");
        }
        List<Fact> ordered = new ArrayList<>(facts);
        ordered.sort(Comparator.comparing(Fact::time).thenComparingLong(Fact::seq));
        Instant start = ordered.getFirst().time();
        Instant previous = start;
        List<Step> steps = new ArrayList<>(ordered.size());
        for (Fact f : ordered) {
            steps.add(new Step(f, millis(start, f.time()), millis(previous, f.time())));
            previous = f.time();
        }
        Instant end = ordered.getLast().time();
        IncidentState.State state =
                IncidentState.of(ordered.stream().map(Fact::type).toList());
        return new Incident(
                correlationId,
                ordered.getFirst().cluster(),
                start,
                end,
                millis(start, end),
                List.copyOf(steps),
                state.open(),
                state.waitingFor());
    }

    private static long millis(Instant from, Instant to) {
        return Duration.between(from, to).toMillis();
    }
}
