package io.pgops.backup.domain;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * What verification found out about a stored backup.
 *
 * @param state {@code unverified}, {@code verified} or {@code failed}
 * @param method {@code manifest} (pg_verifybackup) or {@code restore} (the restore drill); null while unverified
 * @param detail in words: what was checked, or what was wrong (naming the file)
 * @param badFile the file found bad (a stored archive, or a file of the data directory); null when none
 * @param checkedBytes bytes read while verifying
 * @param durationMillis how long the check ran, milliseconds
 * @param restoreMillis for a restore drill: from extraction until the restored server answered, milliseconds
 * @param rowCounts for a restore drill: rows of the largest tables, by {@code database.schema.table}
 * @param at when it was verified; null while unverified
 */
public record Verification(
        String state,
        String method,
        String detail,
        String badFile,
        long checkedBytes,
        long durationMillis,
        long restoreMillis,
        Map<String, Long> rowCounts,
        Instant at) {
    public static final String UNVERIFIED = "unverified";
    public static final String VERIFIED = "verified";
    public static final String FAILED = "failed";
    public static final Set<String> STATES = Set.of(UNVERIFIED, VERIFIED, FAILED);

    public Verification {
        if (!STATES.contains(state)) {
            throw new IllegalArgumentException("verification state '" + state + "' is not one of " + STATES);
        }
        rowCounts = rowCounts == null ? Map.of() : Map.copyOf(rowCounts);
    }

    public static Verification none() {
        return new Verification(UNVERIFIED, null, "not verified yet", null, 0, 0, 0, Map.of(), null);
    }

    public boolean failed() {
        return FAILED.equals(state);
    }
}
