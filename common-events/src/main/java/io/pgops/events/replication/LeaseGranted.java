package io.pgops.events.replication;

import io.pgops.events.EventDoc;
import io.pgops.events.LeaseProtocol;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Term;
import java.time.Instant;

/**
 * The owning coordinator renews the primary's lease, in the same Kafka transaction as its other decisions on the
 * cluster's partition: a coordinator that lost the partition cannot commit it, and agents read committed records
 * only. Granted only to the node the newest committed topology names the target primary, under that topology's
 * term, and never once a change that moves the primary away has been decided.
 *
 * @param cluster the cluster
 * @param term the term the lease is granted under (the request's, which is the owner's current term)
 * @param node the primary the lease is granted to
 * @param requestId the id of the request this answers
 * @param ttlMillis how long the lease lasts, in milliseconds, counted by the agent from when it sent the request
 * @param coordinator the instance that granted it
 * @param grantedAt when the coordinator granted it (UTC instant)
 */
@EventDoc("The owning coordinator renewed the primary's lease for ttlMillis from the agent's request.")
public record LeaseGranted(
        ClusterId cluster,
        Term term,
        NodeName node,
        String requestId,
        long ttlMillis,
        String coordinator,
        Instant grantedAt)
        implements ReplicationEvent, Termed, LeaseProtocol {
    public LeaseGranted {
        Require.nonNull(cluster, "cluster");
        Require.nonNull(term, "term");
        Require.nonNull(node, "node");
        Require.matches(requestId, "requestId", "^[A-Za-z0-9-]{8,64}$");
        Require.positive(ttlMillis, "ttlMillis");
        Require.text(coordinator, "coordinator");
        Require.nonNull(grantedAt, "grantedAt");
    }
}
