package io.pgops.health.domain;

import java.util.Set;

/** The stable names of the checks, as {@code HealthCheckFailed.check} and metric tags carry them. */
public final class CheckNames {
    /** The node answers probes at all (reachability has its own events). */
    public static final String REACHABLE = "reachable";

    public static final String ACCEPTS_CONNECTIONS = "accepts-connections";
    public static final String REPLICATION_LAG = "replication-lag";
    public static final String REPLICATION_CONNECTED = "replication-connected";
    public static final String SYNC_STANDBY = "sync-standby";
    public static final String SLOT_INACTIVE = "slot-inactive";
    public static final String SLOT_RETAINED_WAL = "slot-retained-wal";
    public static final String LONG_QUERIES = "long-queries";
    public static final String IDLE_IN_TRANSACTION = "idle-in-transaction";
    public static final String BLOCKED_SESSIONS = "blocked-sessions";
    public static final String CONNECTIONS_WARNING = "connections-warning";
    public static final String CONNECTIONS_CRITICAL = "connections-critical";
    public static final String XID_WRAPAROUND = "xid-wraparound";
    public static final String MULTIXACT_WRAPAROUND = "multixact-wraparound";
    public static final String ARCHIVE_FAILURES = "archive-failures";
    public static final String CHECKPOINTS_REQUESTED = "checkpoints-requested";
    public static final String TEMP_BYTES = "temp-bytes";
    public static final String DEADLOCKS = "deadlocks";
    public static final String SSL = "ssl";
    public static final String HBA_RULES = "hba-rules";
    public static final String HBA_METHODS = "hba-methods";
    public static final String PGAUDIT = "pgaudit";
    public static final String PASSWORD_ENCRYPTION = "password-encryption";
    public static final String SUPERUSER_NETWORK_LOGINS = "superuser-network-logins";
    public static final String BACKUP_FRESHNESS = "backup-freshness";

    /**
     * Checks whose meaning depends on who is primary: they hold still while the topology settles and
     * their open breaches close when the node changes role.
     */
    public static final Set<String> TOPOLOGY_DEPENDENT = Set.of(
            REPLICATION_LAG, REPLICATION_CONNECTED, SYNC_STANDBY, SLOT_INACTIVE, SLOT_RETAINED_WAL, BACKUP_FRESHNESS);

    /** The security checks: each breach is also a {@code SecurityFindingDetected}, each recovery a resolution. */
    public static final Set<String> SECURITY =
            Set.of(SSL, HBA_RULES, HBA_METHODS, PGAUDIT, PASSWORD_ENCRYPTION, SUPERUSER_NETWORK_LOGINS);

    private CheckNames() {}
}
