package io.pgops.events.replication;

import io.pgops.events.EventDoc;
import io.pgops.events.LeaseProtocol;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Term;
import java.time.Instant;

/**
 * The primary's agent asks for its lease to be renewed (every third of the lease's ttl). The agent measures the
 * lease it is granted from its own monotonic clock read before it sent this request, so a grant that arrives late
 * never lasts longer than the coordinator meant.
 *
 * @param cluster the cluster
 * @param term the newest committed term the agent has seen; only a grant under this term counts
 * @param node the node that asks (the primary the agent sits beside)
 * @param requestId the request's id, echoed by the grant (8–64 letters, digits or dashes)
 * @param requestedAt when the agent sent it (UTC instant; for reading only, the agent times the lease on its
 *     monotonic clock)
 */
@EventDoc("The primary's agent asks the owning coordinator to renew its lease (about once a second).")
public record LeaseAsked(ClusterId cluster, Term term, NodeName node, String requestId, Instant requestedAt)
        implements ReplicationEvent, Termed, LeaseProtocol {
    public LeaseAsked {
        Require.nonNull(cluster, "cluster");
        Require.nonNull(term, "term");
        Require.nonNull(node, "node");
        Require.matches(requestId, "requestId", "^[A-Za-z0-9-]{8,64}$");
        Require.nonNull(requestedAt, "requestedAt");
    }
}
