package io.pgops.replication.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The agent role ({@code pgops.agent.*}): a replication-service started beside one PostgreSQL node,
 * the only process that touches that node. Set {@code cluster} and {@code node} to make an instance
 * an agent; the node's address and the superuser credentials come from the inventory, what only the
 * host knows (data directory, server options, replication account) from here.
 */
@ConfigMapping(prefix = "pgops.agent")
public interface AgentConfig {

    /** Cluster id of the node this agent sits beside (a key of pgops.clusters). */
    Optional<String> cluster();

    /** Node name of the node this agent sits beside (a key of pgops.clusters.<id>.nodes). */
    Optional<String> node();

    /** How long one look at the node may take before it counts as not answering. */
    @WithDefault("1s")
    Duration statusTimeout();

    /** The node's data directory (required to act on the node: promote, stop, rewind, rebuild). */
    Optional<String> dataDir();

    /** Options for {@code pg_ctl start -o} (port, cluster_name, socket directory), as the node was built with. */
    Optional<String> serverOptions();

    /** Where pg_ctl writes the server log; default {@code <data-dir>/../<node>.log}. */
    Optional<String> logFile();

    /** The directory of PostgreSQL's programs; default the newest under /usr/lib/postgresql. */
    Optional<String> pgBin();

    /** The replication account standbys stream with ({@code primary_conninfo}, pg_basebackup). */
    Replication replication();

    /**
     * The file that keeps the highest term this agent has seen across restarts (fsync'd before the agent
     * acts under a newer term); default {@code <data-dir>/../<node>.term}, beside the data directory.
     */
    Optional<String> termFile();

    /** How long a command may wait for the committed topology of its term before it is refused. */
    @WithDefault("5s")
    Duration termConfirmation();

    /**
     * How long a fence's {@code pg_ctl stop -m fast} may take before it is escalated to {@code -m
     * immediate}; with the immediate stop's 60 s it stays within the coordinator's agent-timeout.
     */
    @WithDefault("20s")
    Duration fenceFastTimeout();

    /** How long a promotion may wait for the standby to replay the old primary's last WAL. */
    @WithDefault("30s")
    Duration catchUpTimeout();

    /**
     * How often the agent reports its host's facts ({@code HostFactsReported}: RAM, CPUs, {@code vm.swappiness},
     * overcommit, transparent huge pages, the data directory's mount options and storage) at least; also at its
     * start and when a look (every minute) finds one changed. {@code 0s} turns the reports off.
     */
    @WithDefault("1h")
    Duration hostFactsEvery();

    /** The lease. */
    Lease lease();

    interface Lease {
        /**
         * How long a grant lasts, counted from when this agent asked (it asks every third of it). Keep it equal
         * to {@code pgops.coordinator.lease-ttl}.
         */
        @WithDefault("3s")
        Duration ttl();

        /**
         * {@code /primary} answers 503 once less than this is left of the lease: long enough for HAProxy to see two
         * failed checks ({@code fall 2}: one {@code inter} plus one {@code fastinter}, 500 + 200 ms in the local
         * stack) before the lease ends and PostgreSQL is stopped.
         */
        @WithDefault("1s")
        Duration guard();

        /** A wall-clock jump ahead of the monotonic clock beyond this (a suspended machine) voids the lease. */
        @WithDefault("1s")
        Duration jumpTolerance();

        /**
         * Stop a writable PostgreSQL whose lease ran out ({@code pg_ctl stop -m immediate}, then SIGKILL of the
         * postmaster after 1 s). Off only for tests of what happens without it.
         */
        @WithDefault("true")
        boolean enforce();
    }

    interface Replication {
        @WithDefault("replicator")
        String username();

        /** File that holds the replication password (mode 600). */
        Optional<String> passwordFile();
    }
}
