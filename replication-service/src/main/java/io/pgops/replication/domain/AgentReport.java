package io.pgops.replication.domain;

import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Term;
import io.pgops.events.model.Timeline;
import java.util.List;
import java.util.Optional;

/**
 * What an agent reports of its node to the coordinator ({@code GET /agent/status}).
 *
 * @param node the node
 * @param running PostgreSQL answered
 * @param inRecovery a standby
 * @param readOnly {@code default_transaction_read_only} is on
 * @param timeline the timeline the node is on (a standby: the one it receives); null when not running
 * @param currentLsn a primary's write position; null on a standby
 * @param receiveLsn a standby's flushed received WAL; null on a primary
 * @param replayLsn a standby's replayed WAL; null on a primary
 * @param receiverStatus {@code pg_stat_wal_receiver.status}; null without a WAL receiver
 * @param upstreamPort the port in the standby's {@code primary_conninfo}; null when none
 * @param synchronousStandbyNames the setting on this node
 * @param replicas the standbys this node sends WAL to ({@code pg_stat_replication})
 * @param slots the physical replication slots on this node
 * @param term the highest term the agent has seen
 * @param error why PostgreSQL could not be read; null when running
 * @param postmaster whether the node's postmaster process exists ({@code pg_ctl status}): true when it
 *     answered; when it did not answer, false means stopped (safe to start or rejoin) and true means alive
 *     but not answering (paused, overloaded: never touched); null when the agent cannot tell
 * @param checkpointTimeline the timeline of the node's last checkpoint or restartpoint ({@code
 *     pg_control}): on a standby, the timeline it has surely replayed on; null from older agents
 */
public record AgentReport(
        NodeName node,
        boolean running,
        boolean inRecovery,
        boolean readOnly,
        Timeline timeline,
        Lsn currentLsn,
        Lsn receiveLsn,
        Lsn replayLsn,
        String receiverStatus,
        Integer upstreamPort,
        String synchronousStandbyNames,
        List<Replica> replicas,
        List<String> slots,
        Term term,
        String error,
        Boolean postmaster,
        Timeline checkpointTimeline) {

    /** A report without the checkpoint timeline (older agents, tests). */
    public AgentReport(
            NodeName node,
            boolean running,
            boolean inRecovery,
            boolean readOnly,
            Timeline timeline,
            Lsn currentLsn,
            Lsn receiveLsn,
            Lsn replayLsn,
            String receiverStatus,
            Integer upstreamPort,
            String synchronousStandbyNames,
            List<Replica> replicas,
            List<String> slots,
            Term term,
            String error,
            Boolean postmaster) {
        this(
                node,
                running,
                inRecovery,
                readOnly,
                timeline,
                currentLsn,
                receiveLsn,
                replayLsn,
                receiverStatus,
                upstreamPort,
                synchronousStandbyNames,
                replicas,
                slots,
                term,
                error,
                postmaster,
                null);
    }

    public AgentReport {
        replicas = replicas == null ? List.of() : List.copyOf(replicas);
        slots = slots == null ? List.of() : List.copyOf(slots);
    }

    /** One row of {@code pg_stat_replication}: a standby streaming from this node. */
    public record Replica(String name, String state, String syncState, Lsn flushLsn, Lsn replayLsn) {
        public boolean isSync() {
            return "sync".equals(syncState) || "quorum".equals(syncState);
        }
    }

    /** A node whose PostgreSQL did not answer the agent; {@code postmaster} as in the record. */
    public static AgentReport notAnswering(NodeName node, Term term, String error, Boolean postmaster) {
        return new AgentReport(
                node,
                false,
                false,
                false,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                List.of(),
                List.of(),
                term,
                error,
                postmaster);
    }

    /** The same report with what pg_ctl status said of the postmaster. */
    public AgentReport withPostmaster(Boolean alive) {
        return new AgentReport(
                node,
                running,
                inRecovery,
                readOnly,
                timeline,
                currentLsn,
                receiveLsn,
                replayLsn,
                receiverStatus,
                upstreamPort,
                synchronousStandbyNames,
                replicas,
                slots,
                term,
                error,
                alive,
                checkpointTimeline);
    }

    /** PostgreSQL is surely not running (its postmaster is gone), so it may be started or rejoined. */
    public boolean stopped() {
        return !running && Boolean.FALSE.equals(postmaster);
    }

    public boolean writable() {
        return running && !inRecovery;
    }

    public boolean streaming() {
        return running && inRecovery && "streaming".equals(receiverStatus);
    }

    /** The WAL this node holds: write position on a primary, received (else replayed) on a standby. */
    public Optional<Lsn> walPosition() {
        if (!running) {
            return Optional.empty();
        }
        return Optional.ofNullable(inRecovery ? (receiveLsn != null ? receiveLsn : replayLsn) : currentLsn);
    }

    public Optional<Replica> replica(NodeName standby) {
        return replicas.stream().filter(r -> r.name().equals(standby.value())).findFirst();
    }
}
