package io.pgops.events.replication;

import io.pgops.events.EventDoc;
import io.pgops.events.Nullable;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Term;
import io.pgops.events.model.Timeline;
import java.time.Instant;

/**
 * The replication service decided to change the primary and started doing so (fence, promote, re-point).
 *
 * @param cluster the cluster
 * @param term the new term this change runs in (the previous term plus one)
 * @param kind {@code failover}, {@code switchover} or {@code manual} (see {@link LeadershipChange})
 * @param oldPrimary the primary being replaced
 * @param candidate the standby chosen to become primary
 * @param oldPrimaryLsn the old primary's last known WAL write position; {@code null} if unknown
 * @param candidateLsn the candidate's WAL receive position when chosen
 * @param timeline the timeline the cluster is on before the change
 * @param reason why this candidate and why now, in words, e.g. {@code "primary db1 unreachable for 3 probes;
 *     db2 is the most caught-up synchronous standby (0 bytes behind)"}
 * @param startedAt when the decision was taken (UTC instant)
 */
@EventDoc("The replication service decided to replace the primary and started; names the candidate and why.")
public record FailoverStarted(
        ClusterId cluster,
        Term term,
        LeadershipChange kind,
        NodeName oldPrimary,
        NodeName candidate,
        @Nullable Lsn oldPrimaryLsn,
        Lsn candidateLsn,
        Timeline timeline,
        String reason,
        Instant startedAt)
        implements ReplicationEvent, Termed {
    public FailoverStarted {
        Require.nonNull(cluster, "cluster");
        Require.nonNull(term, "term");
        Require.nonNull(kind, "kind");
        Require.nonNull(oldPrimary, "oldPrimary");
        Require.nonNull(candidate, "candidate");
        Require.nonNull(candidateLsn, "candidateLsn");
        Require.nonNull(timeline, "timeline");
        Require.text(reason, "reason");
        Require.nonNull(startedAt, "startedAt");
    }
}
