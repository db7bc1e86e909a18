package io.pgops.events.replication;

import io.pgops.events.EventDoc;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Term;
import java.time.Instant;
import java.util.Set;

/**
 * A node was fenced so that it cannot accept writes any more (split-brain protection before a promotion).
 *
 * @param cluster the cluster
 * @param term the term of the leadership change that fenced it
 * @param node the fenced node (normally the old primary)
 * @param method how: {@code shutdown} (stopped with {@code pg_ctl stop -m fast}; {@code -m immediate} by an agent
 *     that found its node writable at its start although the topology names another primary), {@code read-only}
 *     ({@code default_transaction_read_only} and sessions terminated),, {@code traffic-cut} (removed from the
 *     routing so no client reaches it), or {@code lease-expired} (its own agent stopped it with {@code -m
 *     immediate} because its lease ran out: the coordinator could not be reached to renew it and not every other
 *     agent of the cluster confirmed the primary directly)
 * @param confirmed {@code true} if the node acknowledged; {@code false} if it was unreachable and is assumed
 *     fenced after the configured lease expired
 * @param reason why it was fenced and why that is safe, in words
 * @param fencedAt when fencing took effect (UTC instant)
 */
@EventDoc("A node was fenced so that it can no longer accept writes; says how and whether it acknowledged.")
public record NodeFenced(
        ClusterId cluster, Term term, NodeName node, String method, boolean confirmed, String reason, Instant fencedAt)
        implements ReplicationEvent, Termed {
    public static final Set<String> METHODS = Set.of("shutdown", "read-only", "traffic-cut", "lease-expired");

    public NodeFenced {
        Require.nonNull(cluster, "cluster");
        Require.nonNull(term, "term");
        Require.nonNull(node, "node");
        Require.oneOf(method, "method", METHODS);
        Require.text(reason, "reason");
        Require.nonNull(fencedAt, "fencedAt");
    }
}
