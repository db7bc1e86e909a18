package io.pgops.replication.service;

/**
 * Whether Kafka answers this coordinator, and since when without a break: the lease desk records each answer of
 * the broker (at least every half second while it answers). A gap longer than {@link #BREAK_NANOS} is a break;
 * the stretch starts again at the next answer. The primary's watch counts an agent's lease silence only within
 * the current stretch, so that an outage of Kafka for everyone is never read as one agent cut off.
 */
final class KafkaReach {
    /** Longer than this between two answers: Kafka was away. */
    static final long BREAK_NANOS = 1_500_000_000L;

    private long lastAnswerNanos;
    private long stretchStartNanos;
    private boolean answered;

    /** The broker answered at {@code nanos}. */
    synchronized void answered(long nanos) {
        if (!answered || nanos - lastAnswerNanos > BREAK_NANOS) {
            stretchStartNanos = nanos;
        }
        answered = true;
        lastAnswerNanos = nanos;
    }

    /** When the current stretch of answers began, or -1 when Kafka has not answered lately. */
    synchronized long answeringSince(long nowNanos) {
        if (!answered || nowNanos - lastAnswerNanos > BREAK_NANOS) {
            return -1;
        }
        return stretchStartNanos;
    }
}
