package io.pgops.health.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Every check's limit, with its default; keys sit directly under {@code pgops.health}. */
public interface Limits {
    /** Replication lag of a standby behind the primary's current WAL position (check replication-lag). */
    @WithDefault("16M")
    MemorySize lagBytes();

    /** Replay delay of a standby: how long since it replayed, while WAL waits to be replayed (replication-lag). */
    @WithDefault("30s")
    Duration lagTime();

    /** WAL one replication slot may retain (check slot-retained-wal). */
    @WithDefault("1G")
    MemorySize slotRetainedWal();

    /** Inactive replication slots tolerated (check slot-inactive). */
    @WithDefault("0")
    @PositiveOrZero
    int inactiveSlots();

    /** A statement running longer than this counts as long (check long-queries). */
    @WithDefault("5m")
    Duration longQueryAge();

    /** Long statements tolerated at once: more than this many fails (check long-queries). */
    @WithDefault("5")
    @PositiveOrZero
    int longQueryCount();

    /** A session idle inside a transaction longer than this fails (check idle-in-transaction). */
    @WithDefault("5m")
    Duration idleInTransactionAge();

    /** A session waiting on another's lock longer than this counts as blocked (check blocked-sessions). */
    @WithDefault("30s")
    Duration blockedAge();

    /** Blocked sessions tolerated (check blocked-sessions). */
    @WithDefault("0")
    @PositiveOrZero
    int blockedSessions();

    /** Share of usable connections (max_connections minus reserved) that warns (check connections-warning). */
    @WithDefault("0.75")
    @DecimalMin("0")
    @DecimalMax("1")
    double connectionsWarning();

    /** Share of usable connections that is critical (check connections-critical). */
    @WithDefault("0.90")
    @DecimalMin("0")
    @DecimalMax("1")
    double connectionsCritical();

    /** Oldest datfrozenxid age, transactions (check xid-wraparound; wraparound is at 2^31). */
    @WithDefault("1000000000")
    @Positive
    long xidAge();

    /** Oldest datminmxid age, multixacts (check multixact-wraparound). */
    @WithDefault("1000000000")
    @Positive
    long multixactAge();

    /** The window counter checks judge growth over (archive-failures, checkpoints-requested, temp-bytes, deadlocks). */
    @WithDefault("15m")
    Duration activityWindow();

    /** WAL archive failures tolerated within the window (check archive-failures). */
    @WithDefault("0")
    @PositiveOrZero
    int archiveFailures();

    /** Share of requested (not timed) checkpoints tolerated within the window (check checkpoints-requested). */
    @WithDefault("0.5")
    @DecimalMin("0")
    @DecimalMax("1")
    double checkpointsRequestedRatio();

    /** Temporary file bytes tolerated within the window (check temp-bytes). */
    @WithDefault("1G")
    MemorySize tempBytes();

    /** Deadlocks tolerated within the window (check deadlocks). */
    @WithDefault("0")
    @PositiveOrZero
    int deadlocks();

    /** Whether ssl = off fails the ssl check. */
    @WithDefault("true")
    boolean sslRequired();

    /**
     * Whether pgaudit not loaded ({@code shared_preload_libraries}) or loaded with {@code pgaudit.log} empty or
     * {@code none} fails the pgaudit check; off by default (pgaudit is an extension package of its own).
     */
    @WithDefault("false")
    boolean pgauditRequired();

    /**
     * Roles allowed to be connected as superuser from the network (check superuser-network-logins),
     * besides the cluster's own pgops account of the inventory, which always is.
     */
    Optional<List<String>> networkSuperusers();

    /** How long replication checks hold still after the primary changed (topology awareness). */
    @WithDefault("60s")
    Duration topologySettle();

    /**
     * The newest BackupCompleted of a cluster may be this old (check backup-freshness, judged on the
     * primary); with none seen, the time since this instance started watching counts.
     */
    @WithDefault("26h")
    Duration backupMaxAge();
}
