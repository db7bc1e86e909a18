package io.pgops.health.domain;

import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;

/**
 * The facts behind a replication-lag result, carried into {@code LagExceeded} / {@code LagRecovered}.
 *
 * @param primary the primary the standby replicates from
 * @param primaryLsn the primary's current WAL write position
 * @param standbyReplayLsn the standby's replay position
 * @param lagBytes WAL not yet replayed, bytes
 * @param lagMillis replay delay, milliseconds (0 when caught up)
 * @param maxLagBytes the limit for lagBytes, bytes
 * @param maxLagMillis the limit for lagMillis, milliseconds
 */
public record LagFacts(
        NodeName primary,
        Lsn primaryLsn,
        Lsn standbyReplayLsn,
        long lagBytes,
        long lagMillis,
        long maxLagBytes,
        long maxLagMillis) {}
