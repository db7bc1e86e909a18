package io.pgops.events.replication;

import io.pgops.events.Nullable;
import io.pgops.events.internal.Require;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Role;
import io.pgops.events.model.Timeline;
import java.util.List;

/**
 * One node of a cluster as {@link TopologyChanged} reports it.
 *
 * @param name the node
 * @param role {@code primary}, {@code standby}, {@code fenced} or {@code unreachable} (see {@link Role})
 * @param host the host name or IP address clients and standbys connect to
 * @param port the PostgreSQL TCP port
 * @param lsn the node's WAL position when the topology was computed (write position on the primary, replay
 *     position on a standby); {@code null} if unknown
 * @param sync {@code true} if the node is a synchronous standby ({@code sync_state = 'sync'} or {@code quorum})
 * @param state what the node is doing, in the words of {@code patronictl list}: {@code running} (a primary),
 *     {@code streaming} (a standby receiving WAL), {@code stopped}, {@code starting}, {@code rejoining} or
 *     {@code unreachable}; {@code null} if not observed (older producers)
 * @param timeline the timeline the node is on; {@code null} if unknown
 * @param lagBytes how far the node's replayed WAL is behind the primary, bytes (0 on the primary); {@code null}
 *     if unknown
 * @param tags the node's inventory tags that shape decisions: {@code nofailover}, {@code nosync},
 *     {@code priority=<n>} (only when not the default 1); empty when none
 */
public record Member(
        NodeName name,
        Role role,
        String host,
        int port,
        @Nullable Lsn lsn,
        boolean sync,
        @Nullable String state,
        @Nullable Timeline timeline,
        @Nullable Long lagBytes,
        List<String> tags) {
    public Member {
        Require.nonNull(name, "name");
        Require.nonNull(role, "role");
        Require.text(host, "host");
        Require.port(port, "port");
        Require.optionalNonNegative(lagBytes, "lagBytes");
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** A member with only the fields of the first version (role, address, position, sync). */
    public Member(NodeName name, Role role, String host, int port, @Nullable Lsn lsn, boolean sync) {
        this(name, role, host, port, lsn, sync, null, null, null, List.of());
    }
}
