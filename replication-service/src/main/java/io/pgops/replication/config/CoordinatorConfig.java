package io.pgops.replication.config;

import io.pgops.replication.domain.SyncPlan;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The coordinator role ({@code pgops.coordinator.*}): the one decider per cluster, elected by owning
 * the cluster's partition of {@code pgops.replication.commands} in the coordinators' consumer group.
 */
@ConfigMapping(prefix = "pgops.coordinator")
public interface CoordinatorConfig {

    /** Run the coordinator role; default: yes, unless this instance is an agent. */
    Optional<Boolean> enabled();

    /** The coordinators' consumer group: every instance in it is a candidate decider. */
    @WithDefault("pgops-replication-coordinators")
    String group();

    /** How often the owner looks at its clusters and repairs what drifted (sync standbys, slots, upstreams). */
    @WithDefault("1s")
    Duration reconcileInterval();

    /** The group session timeout: how long a dead coordinator keeps its clusters before another takes over. */
    @WithDefault("6s")
    Duration sessionTimeout();

    /**
     * The Kafka transaction timeout of the coordinators' producers: the longest a coordinator killed
     * between send and commit can hold back read-committed readers of its partitions when no successor
     * arrives (a successor aborts the transaction at once, it uses the same transactional id). Every
     * decision's transaction is one send and a commit, far shorter. The broker aborts timed-out
     * transactions on its {@code transaction.abort.timed.out.transaction.cleanup.interval.ms} (the local
     * stack: 1 s; Kafka's default: 10 s).
     */
    @WithDefault("5s")
    Duration transactionTimeout();

    /**
     * Test hook, never set in production: halt this JVM (as SIGKILL would) once a decision whose
     * records contain this text has been sent and not yet committed.
     */
    Optional<String> haltBeforeCommit();

    /**
     * Test hook, never set in production: {@code <step>:<text>} halts this JVM (as SIGKILL would) right
     * after the step ({@code started}: the decision committed; {@code fenced}: the old primary stopped;
     * {@code promoted}: the candidate promoted and published) of a change whose reason contains the text; {@code
     * *:<text>} after the step the reason names as {@code "<text> after <step>"}.
     */
    Optional<String> haltAt();

    /**
     * How long the coordinator waits for the outcome of one agent operation. It must be longer than the
     * agent's longest operation, so the agent's work always ends before the coordinator gives up: a
     * promotion waits up to {@code pgops.agent.catch-up-timeout} (30 s) for replay, then up to 60 s for
     * {@code pg_promote}. An operation still running then is "outcome unknown", never "failed".
     */
    @WithDefault("120s")
    Duration agentTimeout();

    /**
     * How long after sending an agent command may still start: later (a command that waited in the socket
     * of a paused agent, or behind another operation) the agent drops it. Assumes the hosts' clocks agree
     * to well within this (NTP).
     */
    @WithDefault("5s")
    Duration commandDeadline();

    /**
     * How long a standby pointed at the primary may fail to stream before it is rejoined (rewound, else
     * rebuilt): long enough for a restart or a timeline switch.
     */
    @WithDefault("15s")
    Duration standbyPatience();

    /**
     * How often the WAL positions and lag in the compacted {@code pgops.topology} record are refreshed
     * when nothing else changed (role, state, sync and timeline changes are published at once, also on
     * {@code pgops.replication.events}).
     */
    @WithDefault("10s")
    Duration positionsRefresh();

    /**
     * What happens when a synchronous standby is away and no streaming standby can replace it: {@code
     * strict} keeps it named (commits wait for it, as synchronous replication promises); {@code degradable}
     * records the empty set in the topology, then applies it (commits no longer wait for any standby);
     * {@code off}: no synchronous standby at all. A cluster's inventory entry may set its own ({@code
     * pgops.clusters.<id>.synchronous-mode = off|on|strict}).
     */
    @WithDefault("strict")
    SyncPlan.Mode synchronousMode();

    /**
     * How long a synchronous standby may be away (not streaming) before a streaming standby replaces it
     * (added before it is removed), or, in {@code degradable} mode with none, the set degrades; commits wait
     * meanwhile. A primary restarted in place keeps its synchronous standby, which reconnects within this.
     */
    @WithDefault("5s")
    Duration syncPatience();

    /**
     * Before an automatic failover that waits out the old primary's lease (not {@code strict} mode) promotes a
     * standby, it fetches the WAL another standby holds beyond it for at most this long (the wait for the lease
     * usually covers it); 0 turns the fetch off.
     */
    @WithDefault("2s")
    Duration walFetchTimeout();

    /**
     * Fail over by itself when the primary is lost (its agent and a direct SQL probe both fail on {@code
     * failover-confirmations} consecutive looks, or its agent reports PostgreSQL down for longer than {@code
     * primary-start-timeout}). In {@code strict} synchronous mode the recorded synchronous standby is promoted
     * at once; otherwise the standby with the most WAL within {@code maximum-lag-on-failover}, once the old
     * primary's lease has surely run out.
     */
    @WithDefault("true")
    boolean automaticFailover();

    /** How many consecutive failed looks make the primary lost (the first failed look brings the next sooner). */
    @WithDefault("2")
    int failoverConfirmations();

    /** How soon after a failed look the next one comes. */
    @WithDefault("300ms")
    Duration suspectLookInterval();

    /** How long the coordinator's direct SQL probe of a primary may take. */
    @WithDefault("1s")
    Duration probeTimeout();

    /**
     * Patroni's primary_start_timeout: how long a primary whose PostgreSQL is down beside a live agent is
     * restarted in place before it is failed over.
     */
    @WithDefault("30s")
    Duration primaryStartTimeout();

    /** No automatic failover within this long after the cluster's last leadership change ended. */
    @WithDefault("30s")
    Duration failoverCooldown();

    /** How many synchronous standbys the primary keeps ({@code FIRST n}). */
    @WithDefault("1")
    int synchronousCount();

    /** Patroni's maximum_lag_on_failover: the most WAL an asynchronous candidate may lack, bytes. */
    @WithDefault("1048576")
    long maximumLagOnFailover();

    /**
     * The primary's lease: how long a grant lasts, counted by the agent from when it asked. The agent asks
     * every third of it; without a grant (nor the failsafe's confirmations) its PostgreSQL stops at the end.
     * Keep it equal to {@code pgops.agent.lease-ttl}.
     */
    @WithDefault("3s")
    Duration leaseTtl();

    /**
     * What the coordinator adds to {@code lease-ttl} after the last grant (counted from when it read the request,
     * after the agent sent it) before it promotes another node in asynchronous mode: the agent's watch interval
     * (100 ms), its {@code pg_ctl stop -m immediate}, and clock-rate drift between the hosts.
     */
    @WithDefault("300ms")
    Duration leaseMargin();

    /** A switchover candidate may lag at most this much when chosen (it then catches up), bytes. */
    @WithDefault("67108864")
    long maximumLagOnSwitchover();
}
