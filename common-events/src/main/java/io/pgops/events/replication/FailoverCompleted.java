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
 * A leadership change finished: the new primary accepts writes and the topology points at it.
 *
 * @param cluster the cluster
 * @param term the term of the leadership change
 * @param kind {@code failover}, {@code switchover} or {@code manual} (see {@link LeadershipChange})
 * @param oldPrimary the replaced primary
 * @param newPrimary the primary now
 * @param newTimeline the timeline the new primary writes
 * @param switchLsn where the new timeline branches off the old one
 * @param lostBytes WAL the old primary had written beyond {@code switchLsn}, bytes: transactions that may be lost;
 *     0 for a switchover and whenever the old primary was stopped before the promotion; {@code null} if its final
 *     position is unknown (it died unreachable: a position seen earlier is only a lower bound, which {@code reason}
 *     states in words)
 * @param durationMillis from {@link FailoverStarted} to now, milliseconds (the write outage)
 * @param reason a summary in words of what was done, e.g. {@code "fenced db1 (shutdown), promoted db2,
 *     re-pointed db3"}
 * @param completedAt when the change finished (UTC instant)
 */
@EventDoc("A leadership change finished: the new primary accepts writes; reports the outage and possible loss.")
public record FailoverCompleted(
        ClusterId cluster,
        Term term,
        LeadershipChange kind,
        NodeName oldPrimary,
        NodeName newPrimary,
        Timeline newTimeline,
        Lsn switchLsn,
        @Nullable Long lostBytes,
        long durationMillis,
        String reason,
        Instant completedAt)
        implements ReplicationEvent, Termed {
    public FailoverCompleted {
        Require.nonNull(cluster, "cluster");
        Require.nonNull(term, "term");
        Require.nonNull(kind, "kind");
        Require.nonNull(oldPrimary, "oldPrimary");
        Require.nonNull(newPrimary, "newPrimary");
        Require.nonNull(newTimeline, "newTimeline");
        Require.nonNull(switchLsn, "switchLsn");
        Require.optionalNonNegative(lostBytes, "lostBytes");
        Require.nonNegative(durationMillis, "durationMillis");
        Require.text(reason, "reason");
        Require.nonNull(completedAt, "completedAt");
    }
}
