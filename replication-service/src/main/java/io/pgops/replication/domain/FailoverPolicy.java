package io.pgops.replication.domain;

/**
 * The rules a promotion must keep.
 *
 * @param synchronousMode commits are acknowledged only once the sync standby has them: then only that
 *     standby may be promoted, whatever its lag, and no other
 * @param maximumLagOnFailoverBytes in asynchronous mode, the most WAL a candidate may lack behind the
 *     last position known of the old primary, bytes (Patroni's {@code maximum_lag_on_failover})
 */
public record FailoverPolicy(boolean synchronousMode, long maximumLagOnFailoverBytes) {}
