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
import java.util.List;

/**
 * The cluster's topology as the replication service now sees it: which node should be primary and which is.
 * Published on {@code pgops.replication.events}; the latest one per cluster is also kept on the compacted
 * {@code pgops.topology} topic, which routing (HAProxy, clients) and services read at start-up.
 *
 * @param cluster the cluster
 * @param term the current term
 * @param targetPrimary the node that should be primary (the decision)
 * @param currentPrimary the node that is primary now (observed); {@code null} while none accepts writes; differs
 *     from {@code targetPrimary} while a change is in progress
 * @param timeline the current primary's timeline (the last one known while there is none)
 * @param members every node of the cluster, primary first
 * @param reason what changed, in words, e.g. {@code "db2 promoted; db1 fenced"}
 * @param changedAt when this topology was computed (UTC instant)
 * @param paused {@code true} while the cluster is in maintenance mode: pgops changes no roles by itself and
 *     refuses switchovers; {@code null} from older producers means not paused
 * @param coordinator the replication-service instance that decided this topology (the owner of the cluster's
 *     partition); {@code null} from older producers
 * @param scheduledSwitchover the switchover the coordinator holds until its time; {@code null} when none
 * @param fenceLsn while a leadership change is under way: the old primary's shutdown checkpoint, which the
 *     target must have replayed before it is promoted, recorded before the promotion so a coordinator that
 *     takes over mid-change knows it without the old primary's agent; {@code null} when no change is under
 *     way or its fence proved no checkpoint (an unclean stop, an unreachable node)
 */
@EventDoc("The cluster's topology changed: target and current primary, term, timeline and every member.")
public record TopologyChanged(
        ClusterId cluster,
        Term term,
        NodeName targetPrimary,
        @Nullable NodeName currentPrimary,
        Timeline timeline,
        List<Member> members,
        String reason,
        Instant changedAt,
        @Nullable Boolean paused,
        @Nullable String coordinator,
        @Nullable ScheduledSwitchover scheduledSwitchover,
        @Nullable Lsn fenceLsn)
        implements ReplicationEvent, Termed {
    public TopologyChanged {
        Require.nonNull(cluster, "cluster");
        Require.nonNull(term, "term");
        Require.nonNull(targetPrimary, "targetPrimary");
        Require.nonNull(timeline, "timeline");
        members = List.copyOf(Require.nonNull(members, "members"));
        if (members.stream().noneMatch(m -> m.name().equals(targetPrimary))) {
            throw new IllegalArgumentException("targetPrimary " + targetPrimary + " is not among the members");
        }
        Require.text(reason, "reason");
        Require.nonNull(changedAt, "changedAt");
    }

    /** A topology without a change under way. */
    public TopologyChanged(
            ClusterId cluster,
            Term term,
            NodeName targetPrimary,
            @Nullable NodeName currentPrimary,
            Timeline timeline,
            List<Member> members,
            String reason,
            Instant changedAt,
            @Nullable Boolean paused,
            @Nullable String coordinator,
            @Nullable ScheduledSwitchover scheduledSwitchover) {
        this(
                cluster,
                term,
                targetPrimary,
                currentPrimary,
                timeline,
                members,
                reason,
                changedAt,
                paused,
                coordinator,
                scheduledSwitchover,
                null);
    }

    /** A topology with only the fields of the first version (not paused, coordinator unnamed). */
    public TopologyChanged(
            ClusterId cluster,
            Term term,
            NodeName targetPrimary,
            @Nullable NodeName currentPrimary,
            Timeline timeline,
            List<Member> members,
            String reason,
            Instant changedAt) {
        this(cluster, term, targetPrimary, currentPrimary, timeline, members, reason, changedAt, null, null, null);
    }

    /** True while the cluster is in maintenance mode. */
    public boolean isPaused() {
        return Boolean.TRUE.equals(paused);
    }

    /** The member named {@code node}, if it is one. */
    public java.util.Optional<Member> member(NodeName node) {
        return members.stream().filter(m -> m.name().equals(node)).findFirst();
    }
}
