package io.pgops.events.replication;

import io.pgops.events.EventDoc;
import io.pgops.events.Nullable;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Term;
import java.time.Instant;

/**
 * The replication service decided not to change the primary (for a failover trigger, a switchover or a promote
 * request), or aborted a change it had started.
 *
 * @param cluster the cluster
 * @param term the cluster's term (unchanged by a refusal; the aborted change's term if one had started)
 * @param kind {@code failover}, {@code switchover} or {@code manual} (see {@link LeadershipChange})
 * @param primary the primary at the time; {@code null} if none is known
 * @param candidate the standby that was considered; {@code null} if none was eligible
 * @param code a short stable code for the rule that refused, e.g. {@code primary-reachable},
 *     {@code candidate-lags}, {@code no-eligible-candidate}, {@code fencing-failed}, {@code term-stale}
 * @param reason why, in words, with the numbers, e.g. {@code "db2 lags 1.0 GiB behind the last known primary
 *     position; limit 16 MiB"}
 * @param decidedAt when the decision was taken (UTC instant)
 */
@EventDoc("The replication service refused or aborted a leadership change; the reason says which rule and why.")
public record FailoverRefused(
        ClusterId cluster,
        Term term,
        LeadershipChange kind,
        @Nullable NodeName primary,
        @Nullable NodeName candidate,
        String code,
        String reason,
        Instant decidedAt)
        implements ReplicationEvent, Termed {
    public FailoverRefused {
        Require.nonNull(cluster, "cluster");
        Require.nonNull(term, "term");
        Require.nonNull(kind, "kind");
        Require.text(code, "code");
        Require.text(reason, "reason");
        Require.nonNull(decidedAt, "decidedAt");
    }
}
