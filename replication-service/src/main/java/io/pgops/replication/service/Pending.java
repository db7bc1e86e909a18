package io.pgops.replication.service;

/**
 * A partition assigned here whose clusters are not all taken over: when to try next, and, after a
 * fence, the rebalance generation that must have confirmed the assignment first (else a zombie's retry
 * would fence the real owner's producer).
 */
record Pending(long atNanos, int attempt, long afterGeneration) {
    static Pending now() {
        return new Pending(System.nanoTime(), 0, 0);
    }

    Pending next(boolean fenced, long generation) {
        long backoff = Math.min(10_000L, 1000L << Math.min(attempt, 4));
        return new Pending(
                System.nanoTime() + backoff * 1_000_000, attempt + 1, fenced ? generation + 1 : afterGeneration);
    }
}
