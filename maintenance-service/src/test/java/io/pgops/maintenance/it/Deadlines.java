package io.pgops.maintenance.it;

import java.time.Duration;

/** Every deadline of the ITs, in one place, scaled by one multiplier for slow machines. */
final class Deadlines {
    static final double SLOW = Double.parseDouble(System.getProperty("pgops.test.slowness", "1"));

    /** Statistics reach the cumulative statistics system within a second or so of a commit. */
    static final Duration STATS = scaled(20);

    /** Standbys report their oldest snapshot every wal_receiver_status_interval (10 s by default). */
    static final Duration FEEDBACK = scaled(40);

    /** A run of a few small tasks. */
    static final Duration RUN = scaled(60);

    private Deadlines() {}

    static Duration scaled(int seconds) {
        return Duration.ofMillis((long) (seconds * 1000 * SLOW));
    }
}
