package io.pgops.maintenance.domain;

/**
 * When a table needs a vacuum or an analyze.
 *
 * @param deadRatio dead tuples over live tuples above which a table is vacuumed (0.10 = 10 %)
 * @param minDeadTuples fewer dead tuples than this never make a vacuum, whatever the ratio
 * @param analyzeRatio modifications since the last analyze over live tuples above which statistics are stale
 * @param minModifications fewer modifications than this never make statistics stale
 */
public record VacuumPolicy(double deadRatio, long minDeadTuples, double analyzeRatio, long minModifications) {
    public static final VacuumPolicy DEFAULT = new VacuumPolicy(0.10, 1000, 0.10, 1000);

    public VacuumPolicy {
        if (!(deadRatio > 0) || !(analyzeRatio > 0) || minDeadTuples < 0 || minModifications < 0) {
            throw new IllegalArgumentException("ratios must be > 0 and minimums >= 0");
        }
    }
}
