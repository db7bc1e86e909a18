package io.pgops.health.domain.sample;

import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Role;
import io.pgops.events.model.Timeline;
import io.pgops.health.domain.ProbeOutcome;
import java.time.Instant;

/**
 * Everything one probe of one node read, as plain values. A part is null when its statement failed
 * or did not run (the node is down, the account lacks a privilege): its checks are then not judged
 * on this probe, rather than judged passing.
 *
 * @param node the node probed
 * @param at when the probe ran
 * @param reachable whether the node answered the base statement
 * @param error why it did not, else null
 * @param role {@code primary} or {@code standby} when reachable
 * @param timeline the node's timeline when reachable
 * @param lsn current WAL position (primary) or replay position (standby)
 * @param serverVersion {@code server_version_num}, e.g. 170002; 0 if unknown
 * @param acceptsNewConnections whether a fresh connection succeeded; null when not tried this probe
 * @param freshConnectError why the fresh connection failed, else null
 * @param replication what the node says about its standbys and slots
 * @param standby the node's own replay state (standbys only)
 * @param sessions long queries, idle transactions and lock waits
 * @param capacity connections and wraparound ages
 * @param counters cumulative counters (archiver, checkpoints, temp files, deadlocks)
 * @param security ssl, hba rules, password encryption, superuser network sessions
 */
public record NodeSample(
        NodeName node,
        Instant at,
        boolean reachable,
        String error,
        Role role,
        Timeline timeline,
        Lsn lsn,
        int serverVersion,
        Boolean acceptsNewConnections,
        String freshConnectError,
        Replication replication,
        StandbyStatus standby,
        Sessions sessions,
        Capacity capacity,
        Counters counters,
        Security security) {

    public static NodeSample down(NodeName node, String error, Instant at) {
        return new NodeSample(
                node, at, false, error, null, null, null, 0, null, null, null, null, null, null, null, null);
    }

    /** A reachable node with only its identity read; add parts with the {@code with…} methods. */
    public static NodeSample up(NodeName node, Instant at, Role role, Timeline timeline, Lsn lsn, int version) {
        return new NodeSample(
                node, at, true, null, role, timeline, lsn, version, null, null, null, null, null, null, null, null);
    }

    public boolean isPrimary() {
        return reachable && role == Role.PRIMARY;
    }

    public boolean isStandby() {
        return reachable && role == Role.STANDBY;
    }

    public ProbeOutcome outcome() {
        return reachable ? ProbeOutcome.up(role, timeline, lsn, at) : ProbeOutcome.down(error, at);
    }

    public NodeSample withFreshConnect(Boolean accepted, String error) {
        return new NodeSample(
                node,
                at,
                reachable,
                this.error,
                role,
                timeline,
                lsn,
                serverVersion,
                accepted,
                error,
                replication,
                standby,
                sessions,
                capacity,
                counters,
                security);
    }

    public NodeSample withReplication(Replication r) {
        return new NodeSample(
                node,
                at,
                reachable,
                error,
                role,
                timeline,
                lsn,
                serverVersion,
                acceptsNewConnections,
                freshConnectError,
                r,
                standby,
                sessions,
                capacity,
                counters,
                security);
    }

    public NodeSample withStandby(StandbyStatus s) {
        return new NodeSample(
                node,
                at,
                reachable,
                error,
                role,
                timeline,
                lsn,
                serverVersion,
                acceptsNewConnections,
                freshConnectError,
                replication,
                s,
                sessions,
                capacity,
                counters,
                security);
    }

    public NodeSample withSessions(Sessions s) {
        return new NodeSample(
                node,
                at,
                reachable,
                error,
                role,
                timeline,
                lsn,
                serverVersion,
                acceptsNewConnections,
                freshConnectError,
                replication,
                standby,
                s,
                capacity,
                counters,
                security);
    }

    public NodeSample withCapacity(Capacity c) {
        return new NodeSample(
                node,
                at,
                reachable,
                error,
                role,
                timeline,
                lsn,
                serverVersion,
                acceptsNewConnections,
                freshConnectError,
                replication,
                standby,
                sessions,
                c,
                counters,
                security);
    }

    public NodeSample withCounters(Counters c) {
        return new NodeSample(
                node,
                at,
                reachable,
                error,
                role,
                timeline,
                lsn,
                serverVersion,
                acceptsNewConnections,
                freshConnectError,
                replication,
                standby,
                sessions,
                capacity,
                c,
                security);
    }

    public NodeSample withSecurity(Security s) {
        return new NodeSample(
                node,
                at,
                reachable,
                error,
                role,
                timeline,
                lsn,
                serverVersion,
                acceptsNewConnections,
                freshConnectError,
                replication,
                standby,
                sessions,
                capacity,
                counters,
                s);
    }
}
