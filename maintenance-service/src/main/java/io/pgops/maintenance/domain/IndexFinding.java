package io.pgops.maintenance.domain;

import java.util.Objects;

/**
 * Something wrong with an index.
 *
 * @param kind what
 * @param index the index
 * @param table its table
 * @param sizeBytes its size, bytes
 * @param reason why, in words
 * @param remedy the task that fixes it on a maintenance run; {@code null} if it is for people to decide (an
 *     unused or duplicate index is never dropped by pgops: a query that runs once a quarter may need it)
 * @param definition {@code pg_get_indexdef}
 */
public record IndexFinding(
        Kind kind,
        ObjectName index,
        ObjectName table,
        long sizeBytes,
        String reason,
        TaskKind remedy,
        String definition) {
    public enum Kind {
        INVALID,
        DUPLICATE,
        UNUSED
    }

    public IndexFinding {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(reason, "reason");
    }
}
