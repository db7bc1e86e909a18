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
 * @param requestId the id of the request this answers; {@code takeover-term-<term>} for the credential a new owner
 *     hands the target primary with its takeover topology, which answers no request and renews nothing (the agent
 *     keeps only its credential, for the failsafe)
 * @param ttlMillis how long the lease lasts, in milliseconds, counted by the agent from when it sent the request
 * @param coordinator the instance that granted it
 * @param grantedAt when the coordinator granted it (UTC instant)
 * @param credential the coordinators' signed statement of this grant (a compact RS256 JWT: issuer {@code
 *     pgops-coordinator}, audience {@code <cluster>/<node>}, operation {@code lease}, the term, valid for {@code
 *     pgops.agent-auth.lease-credential-ttl}), which the primary shows the other agents when it asks them to
 *     confirm its lease while Kafka is away (the failsafe); null from a coordinator without a signing key, whose
 *     primaries then get no confirmation. Not a secret that grants anything: it only proves the grant.
 */
@EventDoc("The owning coordinator renewed the primary's lease for ttlMillis from the agent's request.")
public record LeaseGranted(
        ClusterId cluster,
        Term term,
        NodeName node,
        String requestId,
        long ttlMillis,
        String coordinator,
        Instant grantedAt,
        String credential)
        implements ReplicationEvent, Termed, LeaseProtocol {
    public LeaseGranted {
        Require.nonNull(cluster, "cluster");
        Require.nonNull(term, "term");
        Require.nonNull(node, "node");
        Require.matches(requestId, "requestId", "^[A-Za-z0-9-]{8,64}$");
        Require.positive(ttlMillis, "ttlMillis");
        Require.text(coordinator, "coordinator");
        Require.nonNull(grantedAt, "grantedAt");
        if (credential != null) {
            Require.matches(credential, "credential", "^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$");
        }
    }

    /** A grant without a credential (a coordinator without a signing key). */
    public LeaseGranted(
            ClusterId cluster,
            Term term,
            NodeName node,
            String requestId,
            long ttlMillis,
            String coordinator,
            Instant grantedAt) {
        this(cluster, term, node, requestId, ttlMillis, coordinator, grantedAt, null);
    }
}
