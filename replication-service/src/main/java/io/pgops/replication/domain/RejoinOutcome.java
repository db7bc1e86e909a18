package io.pgops.replication.domain;

/**
 * How a former primary came back as a standby.
 *
 * @param method "rewind" (pg_rewind to the new primary's history) or "rebuild" (fresh pg_basebackup)
 * @param durationMillis wall time of the whole rejoin, milliseconds
 * @param reason why this method, in words (e.g. what made the rewind fail)
 */
public record RejoinOutcome(String method, long durationMillis, String reason) {}
