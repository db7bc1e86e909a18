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
import java.util.Set;

/**
 * A node (typically the old primary) streams from the current primary again as a standby.
 *
 * @param cluster the cluster
 * @param term the term of the primary it follows
 * @param node the rejoined node
 * @param primary the primary it now replicates from
 * @param method {@code rewind} ({@code pg_rewind} of the diverged data directory) or {@code rebuild} (fresh
 *     {@code pg_basebackup})
 * @param timeline the timeline it follows now
 * @param divergedAtLsn where its WAL had diverged from the new timeline; {@code null} if it had not diverged or
 *     for {@code rebuild}
 * @param durationMillis from starting the rewind or rebuild until streaming, milliseconds
 * @param reason why this method, in words, e.g. {@code "pg_rewind failed: could not find previous WAL record;
 *     rebuilt from db2"}
 * @param rejoinedAt when it started streaming (UTC instant)
 */
@EventDoc("A node streams from the current primary again as a standby, after a rewind or a rebuild.")
public record StandbyRejoined(
        ClusterId cluster,
        Term term,
        NodeName node,
        NodeName primary,
        String method,
        Timeline timeline,
        @Nullable Lsn divergedAtLsn,
        long durationMillis,
        String reason,
        Instant rejoinedAt)
        implements ReplicationEvent, Termed {
    public static final Set<String> METHODS = Set.of("rewind", "rebuild");

    public StandbyRejoined {
        Require.nonNull(cluster, "cluster");
        Require.nonNull(term, "term");
        Require.nonNull(node, "node");
        Require.nonNull(primary, "primary");
        Require.oneOf(method, "method", METHODS);
        Require.nonNull(timeline, "timeline");
        Require.nonNegative(durationMillis, "durationMillis");
        Require.text(reason, "reason");
        Require.nonNull(rejoinedAt, "rejoinedAt");
    }
}
