package io.pgops.health.domain;

import io.pgops.events.model.Lsn;
import io.pgops.events.model.Role;
import io.pgops.events.model.Timeline;
import java.time.Instant;

/**
 * What one probe of one node saw.
 *
 * @param reachable whether the node accepted a connection and answered
 * @param role {@code primary} or {@code standby} when reachable, else null
 * @param timeline the node's timeline when reachable, else null
 * @param lsn current WAL position (primary) or last replayed position (standby), else null
 * @param error why the probe failed, else null
 * @param at when the probe ran
 */
public record ProbeOutcome(boolean reachable, Role role, Timeline timeline, Lsn lsn, String error, Instant at) {

    public static ProbeOutcome up(Role role, Timeline timeline, Lsn lsn, Instant at) {
        return new ProbeOutcome(true, role, timeline, lsn, null, at);
    }

    public static ProbeOutcome down(String error, Instant at) {
        return new ProbeOutcome(false, null, null, null, error, at);
    }
}
