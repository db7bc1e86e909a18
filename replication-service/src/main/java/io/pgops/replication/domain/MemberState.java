package io.pgops.replication.domain;

import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Timeline;

/**
 * What the decider knows of one standby when it must choose whom to promote.
 *
 * @param name the node
 * @param reachable its agent answered recently
 * @param receivedLsn the last WAL position it has flushed to disk (what survives its own crash)
 * @param timeline the timeline it follows
 * @param wasSync it was the synchronous standby in the last topology, so it holds every commit that
 *     was acknowledged to a client
 * @param nofailover the inventory tag: never promote this node
 * @param priority the inventory tag: higher is preferred among equally safe candidates; 0 never
 * @param notReachableBecause why it is not reachable (the agent's error, kept for the refusal); null
 *     when reachable or unknown
 */
public record MemberState(
        NodeName name,
        boolean reachable,
        Lsn receivedLsn,
        Timeline timeline,
        boolean wasSync,
        boolean nofailover,
        int priority,
        String notReachableBecause) {

    public MemberState(
            NodeName name,
            boolean reachable,
            Lsn receivedLsn,
            Timeline timeline,
            boolean wasSync,
            boolean nofailover,
            int priority) {
        this(name, reachable, receivedLsn, timeline, wasSync, nofailover, priority, null);
    }
}
