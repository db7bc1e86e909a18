package io.pgops.backup.it;

import java.time.Duration;

/** Every deadline of the ITs, in one place, scaled by one multiplier for slow machines. */
final class Deadlines {
    static final double SLOW = Double.parseDouble(System.getProperty("pgops.test.slowness", "1"));

    /** A backup of the small test cluster, its verification and its restore drill (a few seconds each). */
    static final Duration BACKUP_VERIFIED = scaled(120);

    /** A backup that fails at once (its node is down). */
    static final Duration BACKUP_FAILED = scaled(30);

    private Deadlines() {}

    static Duration scaled(int seconds) {
        return Duration.ofMillis((long) (seconds * 1000 * SLOW));
    }
}
