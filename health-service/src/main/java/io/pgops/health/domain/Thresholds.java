package io.pgops.health.domain;

import java.time.Duration;
import java.util.Set;

/**
 * Every limit the checks judge against, resolved for one cluster (defaults, then the cluster's
 * overrides). The configuration keys and their defaults are documented on the config mapping.
 *
 * @param debounce probes in a row to breach and to recover
 * @param lagBytes a standby's replay lag limit, bytes
 * @param lagTime a standby's replay delay limit
 * @param slotRetainedWalBytes WAL one slot may retain, bytes
 * @param inactiveSlots inactive slots tolerated
 * @param longQueryAge a statement running longer than this is long
 * @param longQueryCount long statements tolerated at once
 * @param idleInTransactionAge a session idle in a transaction longer than this fails the check
 * @param blockedAge a lock wait longer than this counts as blocked
 * @param blockedSessions blocked sessions tolerated
 * @param connectionsWarning connection use (of max_connections minus reserved) that warns, ratio
 * @param connectionsCritical connection use that is critical, ratio
 * @param xidAge transaction ID age limit, transactions
 * @param multixactAge multixact ID age limit, multixacts
 * @param activityWindow the window counter-based checks judge growth over
 * @param archiveFailures WAL archive failures tolerated within the window
 * @param checkpointsRequestedRatio share of requested (not timed) checkpoints tolerated within the window
 * @param tempBytes temporary file bytes tolerated within the window
 * @param deadlocks deadlocks tolerated within the window
 * @param sslRequired whether {@code ssl = off} fails the ssl check
 * @param pgauditRequired whether pgaudit not loaded, or loaded with {@code pgaudit.log} empty or {@code none}, fails
 *     the pgaudit check
 * @param networkSuperusers roles allowed to log in as superuser from the network (pgops' own account)
 * @param topologySettle how long replication checks hold still after the primary changed
 * @param backupMaxAge the age of the newest completed backup above which backup-freshness fails
 */
public record Thresholds(
        Debounce debounce,
        long lagBytes,
        Duration lagTime,
        long slotRetainedWalBytes,
        int inactiveSlots,
        Duration longQueryAge,
        int longQueryCount,
        Duration idleInTransactionAge,
        Duration blockedAge,
        int blockedSessions,
        double connectionsWarning,
        double connectionsCritical,
        long xidAge,
        long multixactAge,
        Duration activityWindow,
        int archiveFailures,
        double checkpointsRequestedRatio,
        long tempBytes,
        int deadlocks,
        boolean sslRequired,
        boolean pgauditRequired,
        Set<String> networkSuperusers,
        Duration topologySettle,
        Duration backupMaxAge) {

    public Thresholds {
        networkSuperusers = Set.copyOf(networkSuperusers);
    }

    /** The built-in defaults (the same as the configuration's), for tests and as a base. */
    public static Thresholds defaults() {
        return new Thresholds(
                new Debounce(3, 2),
                16L * 1024 * 1024,
                Duration.ofSeconds(30),
                1024L * 1024 * 1024,
                0,
                Duration.ofMinutes(5),
                5,
                Duration.ofMinutes(5),
                Duration.ofSeconds(30),
                0,
                0.75,
                0.90,
                1_000_000_000L,
                1_000_000_000L,
                Duration.ofMinutes(15),
                0,
                0.5,
                1024L * 1024 * 1024,
                0,
                true,
                false,
                Set.of(),
                Duration.ofSeconds(60),
                Duration.ofHours(26));
    }
}
