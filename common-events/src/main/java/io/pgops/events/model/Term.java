package io.pgops.events.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The leadership epoch of a cluster: the replication service increments it for every failover or switchover it
 * starts, and every replication decision names the term it was taken in, so that decisions of a stale term can
 * be ignored. In JSON it is a number.
 *
 * @param value the epoch, {@code >= 0}; 0 before the first leadership change
 */
public record Term(@JsonValue long value) implements Comparable<Term> {
    /** The term of a cluster that never changed leadership. */
    public static final Term ZERO = new Term(0);

    public Term {
        if (value < 0) {
            throw new IllegalArgumentException("invalid term " + value + ": expected >= 0");
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Term of(long value) {
        return new Term(value);
    }

    /** The term a new leadership change starts. */
    public Term next() {
        return new Term(Math.addExact(value, 1));
    }

    public boolean isNewerThan(Term other) {
        return value > other.value;
    }

    @Override
    public int compareTo(Term other) {
        return Long.compare(value, other.value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
