package io.pgops.backup.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** What the backup service does and where it keeps backups ({@code pgops.backup.*}). */
@ConfigMapping(prefix = "pgops.backup")
public interface BackupConfig {

    /**
     * The filesystem repository root: backups live in {@code <root>/<cluster>/<backup-id>/}. A request may name
     * a repository only inside it. Default: {@code backups} under the local stack's data directory.
     */
    @WithDefault("${PGOPS_DATA_DIR:/var/tmp/pgops-${user.name}}/backups")
    String repositoryRoot();

    /**
     * Encrypt new backups of the filesystem repository at rest (AES-256-GCM in 1 MiB chunks, as the command line's
     * {@code --encryption-key}): a reference to the 32-byte key, {@code file:/path} (raw or base64) or {@code
     * env:NAME} (base64), never the key itself. The key's id is recorded in each backup's {@code backup.json}.
     * Unset: backups are stored as they are.
     */
    Optional<String> encryptionKey();

    /**
     * Where an encrypted repository's backups are taken and verified, and decrypted for drills and restores (plain,
     * mode 700, removed after each use): outside the repository.
     */
    @WithDefault("${PGOPS_DATA_DIR:/var/tmp/pgops-${user.name}}/backup-staging")
    String staging();

    /**
     * Store the physical backups in an S3-compatible bucket instead of the filesystem repository: taken and verified
     * in {@link #staging}, uploaded (multipart, parallel parts, encrypted with {@link #encryptionKey} when set), the
     * catalogue object last; drills, restores, retention and metrics read the bucket. The WAL archive is written
     * under {@link #repositoryRoot} and copied into the bucket ({@code wal.copy-interval}); the logical dumps stay
     * under the root.
     */
    S3 s3();

    /** {@code pgops.backup.s3.*}: the bucket and how to reach it. */
    interface S3 {
        /** {@code s3://bucket/prefix}; unset: backups go to the filesystem repository. */
        Optional<String> location();

        /** The server's URL for an S3-compatible server (MinIO, Ceph, s3proxy, …); unset: AWS's own. */
        Optional<java.net.URI> endpoint();

        @WithDefault("us-east-1")
        String region();

        /** {@code http://host/bucket/key} addressing (most S3-compatible servers want it). */
        @WithDefault("false")
        boolean pathStyle();

        /**
         * A properties file with {@code access-key-id} and {@code secret-access-key}; unset: the environment's
         * {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}. The keys themselves are never configured.
         */
        Optional<String> credentialsFile();

        /** MiB per multipart part (5–512). */
        @WithDefault("16")
        int partSizeMib();

        /** Parts uploaded at once (each buffered in memory). */
        @WithDefault("4")
        int parallelParts();
    }

    /** Compression of the data archive: {@code zstd}, {@code lz4}, {@code gzip} or {@code none}. */
    @WithDefault("zstd")
    String compression();

    /**
     * Threads the source server compresses zstd in ({@code server-zstd:workers=N}); 1: its walsender alone. The
     * source's CPU (a standby's by default): 2 took a quarter to a third off a large backup on a 2-core host.
     */
    @WithDefault("1")
    @jakarta.validation.constraints.Min(1)
    int compressWorkers();

    /** How long one pg_basebackup may run before it is given up. */
    @WithDefault("2h")
    Duration toolTimeout();

    /** Check every new backup with pg_verifybackup at once. */
    @WithDefault("true")
    boolean verify();

    /** After a passed manifest check, restore the backup on a scratch server and count its largest tables. */
    @WithDefault("true")
    boolean restoreDrill();

    /**
     * After each {@code FailoverCompleted} (failover, switchover or manual promotion) of an inventory cluster, take a
     * fresh full backup from a node on the new timeline (principal {@code pgops-failover}, the failover's
     * correlation id), unless the catalogue already holds one on that timeline.
     */
    @WithDefault("true")
    boolean afterFailover();

    /** How long publishing one event may wait for Kafka's acknowledgement. */
    @WithDefault("30s")
    Duration publishTimeout();

    /** Scheduled logical dumps ({@code pgops.backup.logical.*}). */
    Logical logical();

    interface Logical {
        /** Dump every database of every inventory cluster on a schedule ({@code pg_dump -Fc}, verified). */
        @WithDefault("true")
        boolean enabled();

        /**
         * When each cluster's databases are dumped: an interval ({@code 6h}, {@code PT6H}; 6 h, as many shops run),
         * a Quartz cron expression with seconds in UTC ({@code 0 30 1/6 * * ?}), or {@code off}. An interval counts
         * from the cluster's newest full dump (a restarted service neither repeats a round nor forgets one that
         * came due while it was down), else from the service's start.
         */
        @WithDefault("6h")
        String schedule();

        /** How often the schedules are looked at: a round starts at most this late. */
        @WithDefault("30s")
        Duration tick();

        /** Per cluster id: {@code pgops.backup.logical.clusters.<id>.schedule} overrides {@link #schedule()}. */
        Map<String, ClusterLogical> clusters();

        interface ClusterLogical {
            Optional<String> schedule();
        }

        /** Databases never dumped on the schedule (their names, exactly). */
        Optional<java.util.List<String>> exclude();

        /** How long one pg_dump may run. */
        @WithDefault("2h")
        Duration toolTimeout();

        /**
         * Full dumps kept per database by count after each round (28: a week at the 6 h interval); the newest one of a
         * database always stays. Schema-only (pre-migration) dumps are never deleted by retention.
         */
        @WithDefault("28")
        int keepLast();

        /** Full dumps younger than this are kept too, whatever their number; absent: by count only. */
        Optional<Duration> keepFor();
    }

    /** Pre-migration schema-only dumps, on {@code MigrationRequested} ({@code pgops.backup.pre-migration.*}). */
    PreMigration preMigration();

    interface PreMigration {
        /** Answer every {@code MigrationRequested} with a schema-only dump of its database. */
        @WithDefault("true")
        boolean enabled();

        /**
         * A request older than this is skipped: the maintenance-service stopped waiting for its dump (its
         * {@code migration.backup-timeout}, 10 minutes by default).
         */
        @WithDefault("10m")
        Duration maxAge();

        /**
         * How long pg_dump waits for a table's ACCESS SHARE lock ({@code --lock-wait-timeout}) before it fails:
         * a session holding a table ACCESS EXCLUSIVE would otherwise hold the dump, and the migration, for as
         * long as it likes.
         */
        @WithDefault("30s")
        Duration lockWaitTimeout();

        /** How long one pg_dump may run. */
        @WithDefault("10m")
        Duration toolTimeout();
    }

    /** Continuous WAL archiving with pg_receivewal. */
    Wal wal();

    interface Wal {
        /**
         * Stream every inventory cluster's WAL into {@code <repository-root>/<cluster>/wal/} through a physical
         * replication slot of its own ({@code pgops_wal_<cluster>}), following the primary.
         */
        @WithDefault("true")
        boolean enabled();

        /** pg_receivewal's compression: {@code lz4}, {@code gzip} or {@code none} (15 knows no zstd). */
        @WithDefault("lz4")
        String compression();

        /** How often the archive is checked for missing segments ({@code WalArchiveGapDetected}). */
        @WithDefault("1m")
        Duration gapCheckInterval();

        /**
         * When the backups live in a bucket ({@code pgops.backup.s3.location}): how often the complete segments and
         * history files of the local archive are copied there (encrypted with the repository's key, if any).
         */
        @WithDefault("10s")
        Duration copyInterval();

        /** The first wait before pg_receivewal is started again after it exited; it doubles up to the maximum. */
        @WithDefault("1s")
        Duration restartMinBackoff();

        /** The longest wait before pg_receivewal is started again. */
        @WithDefault("30s")
        Duration restartMaxBackoff();

        /** The clusters' WAL segment size, bytes (initdb's {@code --wal-segsize}; 16 MB unless changed). */
        @WithDefault("16777216")
        long segmentSize();
    }

    /** Scheduled full backups and restore drills ({@code pgops.backup.schedule.*}); off unless enabled. */
    Schedule schedule();

    interface Schedule {
        /** Run the schedules at all; each cluster may override it ({@code clusters.<id>.enabled}). */
        @WithDefault("false")
        boolean enabled();

        /**
         * When a full physical backup of each cluster starts: a Quartz cron expression with seconds in UTC
         * ({@code 0 0 2 * * ?}: 02:00 every day), an interval ({@code 6h}, {@code PT6H}), or {@code off}.
         */
        @WithDefault("0 0 2 * * ?")
        String full();

        /** When the newest backup of each cluster is restored on a scratch server (the restore drill): as {@link #full()}. */
        @WithDefault("0 0 4 ? * SUN")
        String drill();

        /** How often the schedules are looked at: a run starts at most this late. */
        @WithDefault("30s")
        Duration tick();

        /** Per cluster id: {@code pgops.backup.schedule.clusters.<id>.{enabled,full,drill}}. */
        Map<String, ClusterSchedule> clusters();

        interface ClusterSchedule {
            /** Overrides {@link Schedule#enabled()} for this cluster. */
            Optional<Boolean> enabled();

            /** Overrides {@link Schedule#full()} for this cluster. */
            Optional<String> full();

            /** Overrides {@link Schedule#drill()} for this cluster. */
            Optional<String> drill();
        }
    }

    /**
     * Which full backups are kept ({@code pgops.backup.retention.*}); applied after each successful backup and
     * on command. Neither rule set (the default): every backup is kept. The newest verified backup and a backup a
     * restore is using are always kept.
     */
    Retention retention();

    interface Retention {
        /** Keep the newest N full backups (N >= 1). */
        OptionalInt keepLast();

        /**
         * Keep every backup that completed within the last D days (D >= 1), and the newest one before them (a
         * point-in-time restore to the window's start needs it).
         */
        OptionalInt keepDays();

        /** After retention, remove the WAL segments no kept backup needs (never a history file). */
        @WithDefault("true")
        boolean wal();

        /** Per cluster id: {@code pgops.backup.retention.clusters.<id>.{keep-last,keep-days}}. */
        Map<String, ClusterRetention> clusters();

        interface ClusterRetention {
            /** Overrides {@link Retention#keepLast()} for this cluster. */
            OptionalInt keepLast();

            /** Overrides {@link Retention#keepDays()} for this cluster. */
            OptionalInt keepDays();
        }
    }

    /** Restores through the service ({@code pgops.backup.restore.*}): into directories on its own host. */
    Restore restore();

    interface Restore {
        /** A restore's directory must lie inside this root (never a node's data directory elsewhere). */
        @WithDefault("${PGOPS_DATA_DIR:/var/tmp/pgops-${user.name}}/restores")
        String root();

        /** How long the restored copy may take to recover and be promoted. */
        @WithDefault("1h")
        Duration timeout();
    }

    /**
     * The account backups connect with: it needs REPLICATION and a {@code replication} line in pg_hba.conf.
     * Default: the inventory's account of the cluster ({@code pgops.clusters.<id>.credentials}).
     */
    Optional<Account> account();

    interface Account {
        /** User name. */
        String username();

        /** File that holds the password (mode 600); read when connecting, never logged. */
        String passwordFile();
    }
}
