package io.pgops.replication.service;

/** A decision could not be committed: Kafka fenced this coordinator, or the cluster is no longer decided here. */
final class LostOwnership extends RuntimeException {
    /** Another producer or group generation owns the partition now. */
    final boolean fenced;

    LostOwnership(String message, boolean fenced, Throwable cause) {
        super(message, cause);
        this.fenced = fenced;
    }
}
