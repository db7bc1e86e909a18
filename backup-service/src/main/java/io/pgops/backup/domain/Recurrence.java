package io.pgops.backup.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a schedule comes due: a cron expression's next fire time (evaluated outside the domain, see the service's
 * {@code Recurrences}) or a fixed interval after the last time it came due.
 */
public interface Recurrence {
    /** The first time strictly after {@code t} the schedule comes due; empty when it never comes due again. */
    Optional<Instant> nextAfter(Instant t);

    /** In words, for reasons and logs: {@code every PT6H}, {@code cron '0 0 2 * * ?' UTC}. */
    String describe();

    /** Due {@code interval} after the last time it came due. */
    static Recurrence every(Duration interval) {
        if (interval.isNegative() || interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("a schedule's interval must be at least 1s but was " + interval);
        }
        return new Recurrence() {
            @Override
            public Optional<Instant> nextAfter(Instant t) {
                return Optional.of(t.plus(interval));
            }

            @Override
            public String describe() {
                return "every " + interval;
            }
        };
    }
}
