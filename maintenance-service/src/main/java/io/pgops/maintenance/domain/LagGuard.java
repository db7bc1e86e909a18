package io.pgops.maintenance.domain;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Whether a maintenance task must wait for the standbys: a vacuum or reindex writes WAL at full speed, and a standby
 * already behind would only fall further behind — the standby a failover might promote, or the one reads go to. A task
 * does not start while any standby of the inventory replays more than the limit behind the primary, in bytes or in
 * time.
 */
public final class LagGuard {
    private LagGuard() {}

    /**
     * A standby as the primary sees it in {@code pg_stat_replication}.
     *
     * @param name its {@code application_name} (pgops sets it to the node's name)
     * @param lagBytes WAL the primary has written that the standby has not replayed yet ({@code
     *     pg_current_wal_lsn() - replay_lsn}), bytes
     * @param replayLag {@code replay_lag}; null when PostgreSQL has no recent measurement (an idle standby caught up)
     */
    public record StandbyLag(String name, long lagBytes, Duration replayLag) {}

    /** Why to wait, naming the standby furthest behind, or empty when every standby is within both limits. */
    public static Optional<String> waitReason(List<StandbyLag> standbys, long maxLagBytes, Duration maxLag) {
        return standbys.stream()
                .filter(s -> s.lagBytes() > maxLagBytes
                        || (s.replayLag() != null && s.replayLag().compareTo(maxLag) > 0))
                .max(Comparator.comparingLong(StandbyLag::lagBytes))
                .map(s -> "standby " + s.name() + " replays " + Figures.bytes(s.lagBytes())
                        + (s.replayLag() == null ? "" : " (" + s.replayLag().toMillis() + " ms)")
                        + " behind the primary, above the limit of " + Figures.bytes(maxLagBytes) + " or "
                        + maxLag.toSeconds() + " s; maintenance waits until it catches up");
    }
}
