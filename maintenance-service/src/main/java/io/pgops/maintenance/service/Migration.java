package io.pgops.maintenance.service;

import io.pgops.events.Requester;
import io.pgops.events.model.ClusterId;
import io.pgops.maintenance.domain.MigrationPlan;
import io.pgops.maintenance.domain.MigrationState;
import java.time.Instant;

/**
 * One migration as it goes, in the memory of the instance that holds it. Its script is also in its database's
 * {@code pgops_ledger.pending_migrations} until it is over ({@link MigrationQueue}), so a restarted or another
 * instance resumes it; the events carry the script's checksum, never its text. Thread-safe.
 */
public final class Migration {

    /**
     * A migration as {@code GET /clusters/{id}/migrations/{migrationId}} shows it (never the script's text).
     *
     * @param state {@code requested}, {@code backing-up}, {@code applying}, {@code applied} or {@code failed}
     * @param detail what happens or happened, in words (the error with its SQLSTATE once failed)
     * @param backupId the pre-migration dump's id once the backup-service stored it
     * @param node the primary it ran on
     * @param sqlState PostgreSQL's SQLSTATE of a failure
     * @param rolledBack for a failure: whether nothing of it remains
     * @param commitLsn the primary's WAL position after the commit
     * @param durationMillis how long the script ran, milliseconds
     */
    public record View(
            String migrationId,
            String correlationId,
            String cluster,
            String database,
            String version,
            String description,
            String checksum,
            String mode,
            int statements,
            String principal,
            String reason,
            String state,
            String detail,
            Instant requestedAt,
            Instant finishedAt,
            String backupId,
            String node,
            String sqlState,
            Boolean rolledBack,
            String commitLsn,
            Long durationMillis) {}

    final String migrationId;
    final String correlationId;
    final ClusterId cluster;
    final String database;
    final String version;
    final String description;
    final String checksum;
    final String script;
    final MigrationPlan plan;
    final Requester requester;
    final String reason;
    final Instant requestedAt;

    private MigrationState state = MigrationState.REQUESTED;
    private String detail = "publishing MigrationRequested";
    private Instant finishedAt;
    private String backupId;
    private String node;
    private String sqlState;
    private Boolean rolledBack;
    private String commitLsn;
    private Long durationMillis;

    Migration(
            String migrationId,
            String correlationId,
            ClusterId cluster,
            String database,
            String version,
            String description,
            String checksum,
            String script,
            MigrationPlan plan,
            Requester requester,
            String reason,
            Instant requestedAt) {
        this.migrationId = migrationId;
        this.correlationId = correlationId;
        this.cluster = cluster;
        this.database = database;
        this.version = version;
        this.description = description;
        this.checksum = checksum;
        this.script = script;
        this.plan = plan;
        this.requester = requester;
        this.reason = reason;
        this.requestedAt = requestedAt;
    }

    synchronized MigrationState state() {
        return state;
    }

    /** Moves to {@code next} only from {@code from}; whether it moved (a late or replayed answer does not). */
    synchronized boolean move(MigrationState from, MigrationState next, String why) {
        if (state != from) {
            return false;
        }
        state = next;
        detail = why;
        return true;
    }

    synchronized void backup(String id) {
        backupId = id;
    }

    synchronized void applied(String onNode, String lsn, long millis, String why, Instant at) {
        state = MigrationState.APPLIED;
        node = onNode;
        commitLsn = lsn;
        durationMillis = millis;
        detail = why;
        finishedAt = at;
    }

    synchronized void failed(String onNode, String error, String state, Boolean whole, Long millis, Instant at) {
        this.state = MigrationState.FAILED;
        node = onNode;
        detail = error;
        sqlState = state;
        rolledBack = whole;
        durationMillis = millis;
        finishedAt = at;
    }

    /** Whether the migration is over (applied or failed). */
    synchronized boolean done() {
        return state.done();
    }

    synchronized View view() {
        return new View(
                migrationId,
                correlationId,
                cluster.value(),
                database,
                version,
                description,
                checksum,
                plan.mode().name().toLowerCase(java.util.Locale.ROOT),
                plan.statements().size(),
                requester.principal(),
                reason,
                state.code(),
                detail,
                requestedAt,
                finishedAt,
                backupId,
                node,
                sqlState,
                rolledBack,
                commitLsn,
                durationMillis);
    }
}
