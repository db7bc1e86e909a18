package io.pgops.maintenance.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** What the maintenance service does and how carefully ({@code pgops.maintenance.*}). */
@ConfigMapping(prefix = "pgops.maintenance")
public interface MaintenanceConfig {

    /** Dead tuples over live tuples above which a table is vacuumed (0.10 = 10 %). */
    @WithDefault("0.10")
    double deadTupleRatio();

    /** Fewer dead tuples than this never make a vacuum. */
    @WithDefault("1000")
    long minDeadTuples();

    /** Modifications since the last analyze over live tuples above which statistics are stale. */
    @WithDefault("0.10")
    double analyzeRatio();

    /** Fewer modifications than this never make statistics stale. */
    @WithDefault("1000")
    long minModifications();

    /** {@code lock_timeout} of every maintenance statement: a task that cannot get its lock gives up, it never queues writers behind it. */
    @WithDefault("5s")
    Duration lockTimeout();

    /** {@code statement_timeout} of every maintenance statement. */
    @WithDefault("1h")
    Duration statementTimeout();

    /**
     * How often the configuration of every cluster with declared host facts ({@code clusters.<id>.host.*}) is
     * compared with the advisor's recommendations; each difference is published ({@code ConfigDriftDetected}) when
     * first seen and again only when it changes. {@code off}: only on command.
     */
    @WithDefault("1h")
    String configCheckEvery();

    /** {@code statement_timeout} of every report's statements. */
    @WithDefault("10s")
    Duration reportTimeout();

    /** How long connecting to a node may take. */
    @WithDefault("5s")
    Duration connectTimeout();

    /** The window of a run asked for without {@code windowMinutes}. */
    @WithDefault("60m")
    Duration defaultWindow();

    /** The rate a task's duration is estimated at (its target's size over this), bytes per second. */
    @WithDefault("52428800")
    long estimateBytesPerSecond();

    /** The most the work_mem report recommends, bytes. */
    @WithDefault("268435456")
    long maxWorkMemBytes();

    /** How many rows the top-queries report lists. */
    @WithDefault("20")
    int topQueries();

    /** Tables with less estimated bloat than this are left out of the bloat report, bytes. */
    @WithDefault("1048576")
    long minBloatBytes();

    /**
     * A task does not start while a standby of the inventory replays more than this behind the primary, bytes
     * ({@code pg_current_wal_lsn() - replay_lsn} in {@code pg_stat_replication}).
     */
    @WithDefault("67108864")
    long maxLagBytes();

    /** A task does not start while a standby's {@code replay_lag} is above this. */
    @WithDefault("30s")
    Duration maxLag();

    /**
     * A valid B-tree index is rebuilt ({@code REINDEX INDEX CONCURRENTLY}) by an advised run when its estimated bloat is
     * at least this share of its size (0.30 = 30 %) and at least {@code min-bloat-bytes}.
     */
    @WithDefault("0.30")
    double indexBloatRatio();

    /** How long publishing one event may wait for Kafka's acknowledgement. */
    @WithDefault("30s")
    Duration publishTimeout();

    /** Guarded emergency actions on sessions ({@code pgops.maintenance.emergency.*}). */
    Emergency emergency();

    interface Emergency {
        /**
         * How long a dry run's confirmation token may be used: the administrator confirms what they just saw, not
         * what was true some minutes ago.
         */
        @WithDefault("2m")
        Duration tokenTtl();

        /**
         * The key the confirmation tokens are signed with, by reference ({@code file:/path} or {@code env:NAME}, 32
         * bytes or more, raw or base64): give every instance the same one so a confirmation may reach any of them.
         * Absent: each instance signs with a random key of its own and takes only its own tokens.
         */
        Optional<String> tokenKey();
    }

    /** Safe schema migrations ({@code pgops.maintenance.migration.*}). */
    Migration migration();

    interface Migration {
        /**
         * {@code SET LOCAL lock_timeout} of a migration's transaction (and the session's, for a statement that runs
         * alone): a migration that cannot get its lock fails instead of queueing the application behind it.
         */
        @WithDefault("30s")
        Duration lockTimeout();

        /** {@code statement_timeout} of each of a migration's statements. */
        @WithDefault("30m")
        Duration statementTimeout();

        /** How long a migration waits for its pre-migration schema-only dump before it fails without running. */
        @WithDefault("10m")
        Duration backupTimeout();

        /** The largest script accepted, bytes (UTF-8). */
        @WithDefault("1048576")
        int maxScriptBytes();

        /** How many finished migrations per cluster the service keeps in memory for {@code GET}. */
        @WithDefault("200")
        int kept();

        /**
         * This instance's name as the owner of the migrations it accepted ({@code
         * pgops_ledger.pending_migrations.owner}): keep it stable across restarts (a host name, a StatefulSet
         * pod's name) and apart between instances, so a restarted instance resumes its own at once. Default: the
         * host name and the HTTP port.
         */
        Optional<String> instanceId();

        /** How often pending migrations are claimed: this instance's held again, stale ones taken over. */
        @WithDefault("1m")
        Duration recoverEvery();

        /** A pending migration its owner has not claimed for this long is taken over by another instance. */
        @WithDefault("5m")
        Duration staleAfter();
    }

    /** Overrides per cluster id: {@code pgops.maintenance.clusters.<id>.dead-tuple-ratio} and the like. */
    Map<String, ClusterOverrides> clusters();

    interface ClusterOverrides {
        OptionalDouble deadTupleRatio();

        OptionalLong minDeadTuples();

        OptionalDouble analyzeRatio();

        OptionalLong minModifications();

        Optional<Duration> lockTimeout();

        Optional<Duration> statementTimeout();

        OptionalDouble indexBloatRatio();

        OptionalLong maxLagBytes();

        Optional<Duration> maxLag();

        /** The {@code lock_timeout} of this cluster's migrations ({@code migration.lock-timeout} otherwise). */
        Optional<Duration> migrationLockTimeout();

        /** The cluster's maintenance window; absent: runs only on command. */
        Optional<Window> window();

        /** The facts of the cluster's database hosts, for the configuration advisor; absent: it asks for them. */
        Optional<Host> host();
    }

    /**
     * What the configuration advisor needs to know of a cluster's database hosts (all nodes alike), as the operator
     * declares it: {@code pgops.maintenance.clusters.<id>.host.{ram,cpus,storage,connections,workload}}.
     */
    interface Host {
        /** The memory PostgreSQL may use, e.g. {@code 16GB}. */
        String ram();

        /** The CPUs it may use. */
        int cpus();

        /** {@code ssd}, {@code hdd} or {@code san}. */
        @WithDefault("ssd")
        String storage();

        /** The connections expected at most. */
        @WithDefault("100")
        int connections();

        /** {@code web}, {@code oltp}, {@code dw}, {@code mixed} or {@code desktop}. */
        @WithDefault("mixed")
        String workload();
    }

    /** A recurring window: at each start a run plans what the reports advise and may start tasks for {@code duration}. */
    interface Window {
        /** When it opens, Quartz cron with seconds, in UTC, e.g. {@code 0 0 2 * * ?} (02:00 every day). */
        String cron();

        /** How long it stays open. */
        @WithDefault("60m")
        Duration duration();
    }
}
