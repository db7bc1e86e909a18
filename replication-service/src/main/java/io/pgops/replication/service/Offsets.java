package io.pgops.replication.service;

import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The offsets of a partition: {@code next} to read, and the commands handed to workers and not yet
 * handled. The offset committed with a decision is the lowest unhandled one, so a successor reads
 * every command whose outcome is not committed (one that was is recognised and not run twice).
 */
final class Offsets {
    volatile long next;
    final ConcurrentSkipListSet<Long> inFlight = new ConcurrentSkipListSet<>();

    Offsets(long next) {
        this.next = next;
    }

    long safe() {
        Long first = inFlight.ceiling(Long.MIN_VALUE); // null when empty (atomic, unlike isEmpty + first)
        long n = next;
        return first == null ? n : Math.min(first, n);
    }
}
