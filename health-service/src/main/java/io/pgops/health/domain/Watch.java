package io.pgops.health.domain;

import io.pgops.events.EventIds;
import java.time.Instant;

/**
 * The debounced verdict of one node × check: a breach after N failing observations in a row, a
 * recovery after M passing ones, and nothing in between, so a long breach is one event, not one per
 * probe, and a flapping probe (fail, pass, fail) raises nothing. A breach opens a correlation id
 * that its recovery carries too. A check seen passing first is simply passing: there is nothing to
 * recover from.
 */
public final class Watch {
    /** What the watch currently believes. */
    public enum State {
        UNKNOWN,
        PASSING,
        FAILING
    }

    /** What one observation changed. */
    public enum Change {
        NONE,
        BREACHED,
        RECOVERED
    }

    /**
     * @param change what changed, usually nothing
     * @param correlationId the incident's id on a breach or recovery, else null
     * @param streak how many observations in a row agreed with this one
     * @param breachedAt on a recovery, when the breach was declared; else null
     */
    public record Outcome(Change change, String correlationId, int streak, Instant breachedAt) {}

    private final Debounce debounce;
    private State state = State.UNKNOWN;
    private int failures;
    private int passes;
    private String correlationId;
    private Instant breachedAt;

    public Watch(Debounce debounce) {
        this.debounce = debounce;
    }

    public Outcome observe(boolean failing, Instant at) {
        return failing ? failed(at) : passed();
    }

    private Outcome failed(Instant at) {
        failures++;
        passes = 0;
        if (state == State.FAILING || failures < debounce.failuresToBreach()) {
            return new Outcome(Change.NONE, null, failures, null);
        }
        state = State.FAILING;
        breachedAt = at;
        correlationId = EventIds.newId();
        return new Outcome(Change.BREACHED, correlationId, failures, null);
    }

    private Outcome passed() {
        passes++;
        failures = 0;
        if (state == State.UNKNOWN) {
            state = State.PASSING;
            return new Outcome(Change.NONE, null, passes, null);
        }
        if (state == State.PASSING || passes < debounce.passesToRecover()) {
            return new Outcome(Change.NONE, null, passes, null);
        }
        return close();
    }

    /**
     * Ends a breach now whatever the counts say (the check no longer applies, e.g. the node changed
     * role); returns NONE when nothing was breached.
     */
    public Outcome close() {
        if (state != State.FAILING) {
            state = State.UNKNOWN;
            failures = 0;
            passes = 0;
            return new Outcome(Change.NONE, null, 0, null);
        }
        Outcome o = new Outcome(Change.RECOVERED, correlationId, passes, breachedAt);
        state = State.PASSING;
        correlationId = null;
        breachedAt = null;
        return o;
    }

    public State state() {
        return state;
    }

    /** The open incident's id while breached, else null. */
    public String correlationId() {
        return correlationId;
    }

    /** When the open breach was declared, else null. */
    public Instant breachedAt() {
        return breachedAt;
    }
}
