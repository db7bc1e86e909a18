package io.pgops.health.domain;

/**
 * One check's verdict on one probe, with its evidence.
 *
 * @param check the stable check name, e.g. {@code connections-critical}
 * @param severity how bad a breach of it is
 * @param failing whether the measured value is beyond the threshold
 * @param measured the measured value, in {@code unit}
 * @param threshold the limit, in {@code unit}
 * @param unit e.g. {@code bytes}, {@code ratio}, {@code sessions}, {@code transactions}
 * @param evidence what was seen, in words (statements truncated, never a secret)
 * @param lag for {@code replication-lag} only: the LSNs and both lags; else null
 */
public record CheckResult(
        String check,
        Severity severity,
        boolean failing,
        double measured,
        double threshold,
        String unit,
        String evidence,
        LagFacts lag) {

    /** A result whose verdict is {@code measured > threshold}. */
    public static CheckResult above(
            String check, Severity severity, double measured, double threshold, String unit, String evidence) {
        return new CheckResult(check, severity, measured > threshold, measured, threshold, unit, evidence, null);
    }

    /** A yes/no result: measured 1 when failing, threshold 0, unit {@code boolean}. */
    public static CheckResult flag(String check, Severity severity, boolean failing, String evidence) {
        return new CheckResult(check, severity, failing, failing ? 1 : 0, 0, "boolean", evidence, null);
    }
}
