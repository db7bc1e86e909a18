package io.pgops.health.domain.sample;

import io.pgops.events.model.Lsn;

/**
 * A standby's own replay state.
 *
 * @param receiveLsn last WAL position received, null if none
 * @param replayLsn last WAL position replayed, null if none
 * @param replayDelayMillis how far behind replay is in time: 0 when everything received is replayed,
 *     else {@code now() - pg_last_xact_replay_timestamp()}, milliseconds (an idle primary then does
 *     not look like lag)
 * @param replayPaused whether {@code pg_wal_replay_pause()} is in effect
 */
public record StandbyStatus(Lsn receiveLsn, Lsn replayLsn, long replayDelayMillis, boolean replayPaused) {}
