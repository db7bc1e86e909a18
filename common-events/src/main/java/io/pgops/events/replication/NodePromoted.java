package io.pgops.events.replication;

import io.pgops.events.EventDoc;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Term;
import io.pgops.events.model.Timeline;
import java.time.Instant;

/**
 * A standby left recovery and accepts writes ({@code pg_promote()} returned and {@code pg_is_in_recovery()} is
 * false).
 *
 * @param cluster the cluster
 * @param term the term of the leadership change
 * @param node the promoted node
 * @param previousTimeline the timeline it replayed before promotion
 * @param newTimeline the timeline it writes now ({@code previousTimeline + 1})
 * @param switchLsn where the new timeline branches off the old one (from the new {@code .history} file)
 * @param promotionMillis from issuing {@code pg_promote()} until the node accepted writes, milliseconds
 * @param promotedAt when the node accepted writes (UTC instant)
 */
@EventDoc("A standby left recovery and accepts writes on a new timeline.")
public record NodePromoted(
        ClusterId cluster,
        Term term,
        NodeName node,
        Timeline previousTimeline,
        Timeline newTimeline,
        Lsn switchLsn,
        long promotionMillis,
        Instant promotedAt)
        implements ReplicationEvent, Termed {
    public NodePromoted {
        Require.nonNull(cluster, "cluster");
        Require.nonNull(term, "term");
        Require.nonNull(node, "node");
        Require.nonNull(previousTimeline, "previousTimeline");
        Require.nonNull(newTimeline, "newTimeline");
        if (newTimeline.compareTo(previousTimeline) <= 0) {
            throw new IllegalArgumentException(
                    "newTimeline " + newTimeline + " must be after previousTimeline " + previousTimeline);
        }
        Require.nonNull(switchLsn, "switchLsn");
        Require.nonNegative(promotionMillis, "promotionMillis");
        Require.nonNull(promotedAt, "promotedAt");
    }
}
