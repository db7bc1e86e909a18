package io.pgops.backup.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** What the backup service does and where it keeps backups ({@code pgops.backup.*}). */
@ConfigMapping(prefix = "pgops.backup")
public interface BackupConfig {

    /**
     * The filesystem repository root: backups live in {@code <root>/<cluster>/<backup-id>/}. A request may name
     * a repository only inside it. Default: {@code backups} under the local stack's data directory.
     */
    @WithDefault("${PGOPS_DATA_DIR:/var/tmp/pgops-${user.name}}/backups")
    String repositoryRoot();

    /** Compression of the data archive: {@code zstd}, {@code lz4}, {@code gzip} or {@code none}. */
    @WithDefault("zstd")
    String compression();

    /** How long one pg_basebackup may run before it is given up. */
    @WithDefault("2h")
    Duration toolTimeout();

    /** Check every new backup with pg_verifybackup at once. */
    @WithDefault("true")
    boolean verify();

    /** After a passed manifest check, restore the backup on a scratch server and count its largest tables. */
    @WithDefault("true")
    boolean restoreDrill();

    /** How long publishing one event may wait for Kafka's acknowledgement. */
    @WithDefault("30s")
    Duration publishTimeout();

    /** Scheduled logical dumps ({@code pgops.backup.logical.*}). */
    Logical logical();

    interface Logical {
        /** Dump every database of every inventory cluster on a schedule ({@code pg_dump -Fc}, verified). */
        @WithDefault("true")
        boolean enabled();

        /** How often; the first round starts one interval after the service started (6 h, as many shops run). */
        @WithDefault("6h")
        Duration interval();

        /** Databases never dumped on the schedule (their names, exactly). */
        Optional<java.util.List<String>> exclude();

        /** How long one pg_dump may run. */
        @WithDefault("2h")
        Duration toolTimeout();
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
