package io.pgops.health.domain.sample;

import io.pgops.events.model.Lsn;
import java.util.List;

/**
 * A primary's view of replication: {@code pg_stat_replication} and {@code pg_replication_slots}.
 *
 * @param currentLsn {@code pg_current_wal_lsn()} in the same snapshot as the rows
 * @param replicas one row per connected WAL sender
 * @param slots every replication slot
 * @param syncConfigured whether {@code synchronous_standby_names} is set
 */
public record Replication(Lsn currentLsn, List<Replica> replicas, List<Slot> slots, boolean syncConfigured) {
    public Replication {
        replicas = List.copyOf(replicas);
        slots = List.copyOf(slots);
    }

    /**
     * One {@code pg_stat_replication} row.
     *
     * @param name {@code application_name}, which pgops sets to the node name
     * @param state e.g. {@code streaming}, {@code catchup}
     * @param syncState {@code async}, {@code sync}, {@code potential} or {@code quorum}
     * @param writeLsn written on the standby, null if unknown
     * @param flushLsn flushed on the standby, null if unknown
     * @param replayLsn replayed on the standby, null if unknown
     */
    public record Replica(String name, String state, String syncState, Lsn writeLsn, Lsn flushLsn, Lsn replayLsn) {}

    /**
     * One replication slot.
     *
     * @param name the slot's name
     * @param active whether a receiver uses it now
     * @param retainedBytes WAL kept for it ({@code pg_current_wal_lsn() - restart_lsn}), bytes
     */
    public record Slot(String name, boolean active, long retainedBytes) {}
}
