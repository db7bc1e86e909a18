package io.pgops.events.replication;

import io.pgops.events.EventDoc;
import io.pgops.events.Nullable;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import java.time.Instant;
import java.util.Set;

/**
 * An agent refused an operation on its node ({@code /agent/fence}, {@code promote}, {@code follow}, …) because the
 * caller did not prove it was the cluster's coordinator (or, for the failsafe's question, the primary the
 * coordinators granted a lease): no credential, one signed by another key, expired, meant
 * for another node or operation, or bound to another command (a replayed or altered one). Nothing was done. Several
 * refusals close together are reported once, with their count.
 *
 * @param cluster the agent's cluster
 * @param node the agent's node
 * @param operation the operation asked for: {@code status}, {@code fence}, {@code promote}, {@code follow}, {@code
 *     rejoin}, {@code reinit}, {@code start}, {@code configure}, or {@code lease-confirmation} (the failsafe's
 *     question, asked by a primary that must show the lease credential the coordinators signed with its last grant)
 * @param refusal why, as a code: {@code missing}, {@code malformed}, {@code bad-signature}, {@code expired}, {@code
 *     wrong-issuer}, {@code wrong-node}, {@code wrong-operation}, {@code other-command}, {@code no-verify-key}
 * @param reason why, in words (never the credential itself)
 * @param caller the caller's address as the agent saw it ({@code host:port}); {@code null} when unknown
 * @param count how many refusals this event reports (this one and those held back since the last event), ≥ 1
 * @param refusedAt when the (last) refusal happened (UTC instant)
 */
@EventDoc("An agent refused an operation whose caller did not prove it was the cluster's coordinator.")
public record AgentCommandRefused(
        ClusterId cluster,
        NodeName node,
        String operation,
        String refusal,
        String reason,
        @Nullable String caller,
        int count,
        Instant refusedAt)
        implements ReplicationEvent {
    public static final Set<String> OPERATIONS = Set.of(
            "status", "fence", "promote", "follow", "rejoin", "reinit", "start", "configure", "lease-confirmation");
    public static final Set<String> REFUSALS = Set.of(
            "missing",
            "malformed",
            "bad-signature",
            "expired",
            "wrong-issuer",
            "wrong-node",
            "wrong-operation",
            "other-command",
            "no-verify-key");

    public AgentCommandRefused {
        Require.nonNull(cluster, "cluster");
        Require.nonNull(node, "node");
        Require.oneOf(operation, "operation", OPERATIONS);
        Require.oneOf(refusal, "refusal", REFUSALS);
        Require.text(reason, "reason");
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1 but was " + count);
        }
        Require.nonNull(refusedAt, "refusedAt");
    }
}
