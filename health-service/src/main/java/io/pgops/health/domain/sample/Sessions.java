package io.pgops.health.domain.sample;

import java.util.List;

/**
 * Sessions worth a look, each list capped (the counts are not).
 *
 * @param longQueries how many client sessions run one statement longer than the long-query age
 * @param longQuerySamples the longest of them
 * @param idleInTransaction sessions idle inside a transaction longer than the idle age, longest first
 * @param blocked sessions waiting on a lock held by another, with who blocks them
 */
public record Sessions(
        int longQueries, List<Session> longQuerySamples, List<Session> idleInTransaction, List<Blocked> blocked) {
    public Sessions {
        longQuerySamples = List.copyOf(longQuerySamples);
        idleInTransaction = List.copyOf(idleInTransaction);
        blocked = List.copyOf(blocked);
    }

    /**
     * @param pid backend pid
     * @param user the session's role
     * @param ageMillis how long the statement runs, or the transaction has been idle, milliseconds
     * @param query the statement, truncated
     */
    public record Session(int pid, String user, long ageMillis, String query) {}

    /**
     * One edge of a blocking chain.
     *
     * @param pid the waiting backend
     * @param waitMillis how long it has waited, milliseconds
     * @param query its statement, truncated
     * @param blockerPid the backend holding the lock it waits for
     * @param blockerState that backend's state, e.g. {@code idle in transaction}
     * @param blockerQuery that backend's last statement, truncated
     */
    public record Blocked(
            int pid, long waitMillis, String query, int blockerPid, String blockerState, String blockerQuery) {}
}
