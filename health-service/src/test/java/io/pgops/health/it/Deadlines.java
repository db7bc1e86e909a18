package io.pgops.health.it;

import java.time.Duration;

/** Every deadline of the ITs, in one place, scaled by one multiplier for slow machines. */
final class Deadlines {
    static final double SLOW = Double.parseDouble(System.getProperty("pgops.test.slowness", "1"));

    /** N failing probes at 1 s plus connect timeouts, with room for a loaded machine. */
    static final Duration BREACH = scaled(40);

    static final Duration RECOVERY = scaled(40);

    /** How long "nothing happens" is watched. */
    static final Duration QUIET = scaled(8);

    private Deadlines() {}

    static Duration scaled(int seconds) {
        return Duration.ofMillis((long) (seconds * 1000 * SLOW));
    }
}
