package io.pgops.maintenance.domain;

import java.util.Objects;

/**
 * One planned piece of maintenance.
 *
 * @param kind what runs
 * @param target the table or index, found in the catalogue
 * @param reason why, with the numbers
 * @param weight how much it matters, to order tasks of one kind (dead tuples, modifications; 0 if asked by name)
 * @param sizeBytes the target's size, bytes, to estimate its duration
 */
public record Task(TaskKind kind, ObjectName target, String reason, long weight, long sizeBytes) {
    public Task {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(reason, "reason");
    }
}
