package io.pgops.events.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A PostgreSQL timeline ID: starts at 1 with {@code initdb} and increases by one at every promotion or
 * point-in-time recovery. In JSON it is a number.
 *
 * @param value the timeline ID, {@code >= 1} (the first 8 hex digits of a WAL segment name)
 */
public record Timeline(@JsonValue long value) implements Comparable<Timeline> {
    public Timeline {
        if (value < 1 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("invalid timeline " + value + ": expected 1-4294967295");
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Timeline of(long value) {
        return new Timeline(value);
    }

    /** The timeline a promotion of a node on this timeline switches to. */
    public Timeline next() {
        return new Timeline(value + 1);
    }

    @Override
    public int compareTo(Timeline other) {
        return Long.compare(value, other.value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
