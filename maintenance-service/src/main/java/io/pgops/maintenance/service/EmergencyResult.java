package io.pgops.maintenance.service;

import io.pgops.maintenance.domain.EmergencyCriteria;
import io.pgops.maintenance.domain.SessionTriage;
import java.time.Instant;
import java.util.List;

/**
 * An emergency action's answer, a dry run's or a confirmed one's.
 *
 * @param sessions the sessions the action hits (dry run) or hit
 * @param spared sessions that qualified but are never hit, by reason
 * @param token a dry run's confirmation token (null after a real run)
 * @param tokenExpiresAt until when the token may be used
 * @param correlationId the real run's events' correlation id
 * @param missed a real run's sessions of the dry run that were not hit
 */
public record EmergencyResult(
        String cluster,
        String node,
        String action,
        boolean dryRun,
        Criteria criteria,
        Instant readAt,
        List<SessionView> sessions,
        List<SessionTriage.Spared> spared,
        String token,
        Instant tokenExpiresAt,
        String correlationId,
        List<MissedView> missed) {
    /**
     * A session as the answer shows it.
     *
     * @param client the client's address, {@code local} for a Unix socket
     * @param ageSeconds how long it has been idle, idle in transaction or running its query, seconds
     * @param query its statement, at most 300 characters, password literals masked
     * @param outcome null in a dry run; else {@code terminated}, {@code cancelled} or why it was not hit
     */
    public record SessionView(
            int pid,
            String user,
            String database,
            String application,
            String client,
            String state,
            long ageSeconds,
            Instant backendStart,
            boolean superuser,
            String query,
            String reason,
            String outcome) {}

    /** The criteria as the answer shows them; {@code null} filters match any. */
    public record Criteria(
            long longerThanSeconds, String database, String user, String application, List<String> superusers) {
        static Criteria of(EmergencyCriteria c) {
            return new Criteria(
                    c.longerThan().toSeconds(),
                    c.database(),
                    c.user(),
                    c.application(),
                    c.superusers().stream().sorted().toList());
        }
    }

    /** A session of the dry run that was not hit, and why. */
    public record MissedView(int pid, Instant backendStart, String reason) {}
}
