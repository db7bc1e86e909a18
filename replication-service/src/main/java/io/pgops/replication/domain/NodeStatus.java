package io.pgops.replication.domain;

import io.pgops.events.model.Lsn;
import io.pgops.events.model.Timeline;
import java.time.Instant;

/**
 * What an agent saw of its own node in one look.
 *
 * @param running the node accepted a connection and answered
 * @param inRecovery pg_is_in_recovery(): a standby (or a primary still recovering)
 * @param readOnly default_transaction_read_only is on (a fenced primary refuses writes)
 * @param walReceiverStatus pg_stat_wal_receiver.status ("streaming", …); null without a WAL receiver
 * @param currentLsn pg_current_wal_lsn() on a primary, else null
 * @param replayLsn pg_last_wal_replay_lsn() on a standby, else null
 * @param primaryLsn the upstream primary's current WAL position, when it was asked for; else null
 * @param timeline the node's timeline, null when not running
 * @param serverVersion server_version_num, 0 when not running
 * @param error why the node could not be read, null when running
 * @param at when the look was taken
 */
public record NodeStatus(
        boolean running,
        boolean inRecovery,
        boolean readOnly,
        String walReceiverStatus,
        Lsn currentLsn,
        Lsn replayLsn,
        Lsn primaryLsn,
        Timeline timeline,
        int serverVersion,
        String error,
        Instant at) {

    public static NodeStatus down(String error, Instant at) {
        return new NodeStatus(false, false, false, null, null, null, null, null, 0, error, at);
    }

    /** "primary", "replica" or "unknown" (Patroni's words, which HAProxy setups parse). */
    public String role() {
        return !running ? "unknown" : inRecovery ? "replica" : "primary";
    }

    public boolean streaming() {
        return "streaming".equals(walReceiverStatus);
    }

    /** Bytes the standby's replay is behind its primary; -1 when unknown. */
    public long replayLagBytes() {
        return primaryLsn == null || replayLsn == null ? -1 : Math.max(0, primaryLsn.bytesSince(replayLsn));
    }

    public NodeStatus withPrimaryLsn(Lsn lsn) {
        return new NodeStatus(
                running,
                inRecovery,
                readOnly,
                walReceiverStatus,
                currentLsn,
                replayLsn,
                lsn,
                timeline,
                serverVersion,
                error,
                at);
    }
}
