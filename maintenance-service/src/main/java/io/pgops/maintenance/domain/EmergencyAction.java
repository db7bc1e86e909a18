package io.pgops.maintenance.domain;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * The guarded emergency actions on sessions, by wire code: which sessions each is about (their {@code state}), from
 * when their age counts, and whether they are cancelled ({@code pg_cancel_backend}: the statement ends, the session
 * stays) or terminated ({@code pg_terminate_backend}: the connection ends, an open transaction rolls back).
 */
public enum EmergencyAction {
    TERMINATE_IDLE("terminate-idle", Set.of("idle"), false, true, "idle"),
    TERMINATE_IDLE_IN_TRANSACTION(
            "terminate-idle-in-transaction",
            Set.of("idle in transaction", "idle in transaction (aborted)"),
            false,
            true,
            "idle in transaction"),
    CANCEL_LONG_QUERIES("cancel-long-queries", Set.of("active"), true, false, "running its query"),
    TERMINATE_LONG_QUERIES("terminate-long-queries", Set.of("active"), true, true, "running its query");

    private final String code;
    private final Set<String> states;
    private final boolean ageFromQueryStart;
    private final boolean terminates;
    private final String doing;

    EmergencyAction(String code, Set<String> states, boolean ageFromQueryStart, boolean terminates, String doing) {
        this.code = code;
        this.states = states;
        this.ageFromQueryStart = ageFromQueryStart;
        this.terminates = terminates;
        this.doing = doing;
    }

    public String code() {
        return code;
    }

    public static Optional<EmergencyAction> ofCode(String code) {
        return Arrays.stream(values()).filter(a -> a.code.equals(code)).findFirst();
    }

    /** Whether a session in {@code state} is what this action is about. */
    public boolean concerns(String state) {
        return states.contains(state);
    }

    /** True: the age counts from the query's start; false: from the last change of state (idle since). */
    public boolean ageFromQueryStart() {
        return ageFromQueryStart;
    }

    /** True for {@code pg_terminate_backend}, false for {@code pg_cancel_backend}. */
    public boolean terminates() {
        return terminates;
    }

    /** What a session it hits was doing, in words: {@code "idle in transaction"}. */
    public String doing() {
        return doing;
    }

    /** What was done to a session, in words. */
    public String done() {
        return terminates ? "terminated" : "cancelled";
    }

    @Override
    public String toString() {
        return code;
    }
}
