package io.pgops.events.replication;

import io.pgops.events.Nullable;
import io.pgops.events.internal.Require;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Roles;

/**
 * One node of a cluster as {@link TopologyChanged} reports it.
 *
 * @param name the node
 * @param role {@code primary}, {@code standby}, {@code fenced} or {@code unreachable} (see {@link Roles})
 * @param host the host name or IP address clients and standbys connect to
 * @param port the PostgreSQL TCP port
 * @param lsn the node's WAL position when the topology was computed (write position on the primary, replay
 *     position on a standby); {@code null} if unknown
 * @param sync {@code true} if the node is a synchronous standby ({@code sync_state = 'sync'} or {@code quorum})
 */
public record Member(
        NodeName name,
        String role,
        String host,
        int port,
        @Nullable Lsn lsn,
        boolean sync) {
    public Member {
        Require.nonNull(name, "name");
        Require.oneOf(role, "role", Roles.MEMBER);
        Require.text(host, "host");
        Require.port(port, "port");
    }
}
