package io.pgops.replication.service;

import io.pgops.events.EventEnvelope;
import io.pgops.events.PgopsEvent;
import io.pgops.events.Topics;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Term;
import io.pgops.events.model.Timeline;
import io.pgops.events.replication.FailoverRefused;
import io.pgops.events.replication.LeadershipChange;
import io.pgops.events.replication.LeaseAsked;
import io.pgops.events.replication.LeaseGranted;
import io.pgops.events.replication.Member;
import io.pgops.events.replication.ScheduledSwitchover;
import io.pgops.events.replication.StandbyRejoined;
import io.pgops.events.replication.TopologyChanged;
import io.pgops.replication.domain.AgentReport;
import io.pgops.replication.domain.ClusterState;
import io.pgops.replication.domain.CommandRules;
import io.pgops.replication.domain.Refusal;
import io.pgops.replication.domain.RejoinOutcome;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * What the owner keeps of one cluster it decides for, and how it publishes: every decision is one
 * transaction with the cluster's partition's consumed offset. Used by the cluster's worker thread only.
 */
final class OwnedCluster {
    private static final Logger LOG = Logger.getLogger(OwnedCluster.class);
    static final String SOURCE = "/pgops/replication-service";

    final ClusterId cluster;
    final TopicPartition partition;
    final Coordination c;
    volatile Term term;
    /** Read by the lease desk's thread too: a node other than the target is granted no lease. */
    volatile NodeName target;
    /** When (nanoTime) this owner took the cluster over: a predecessor's grants were all committed before it. */
    private final long tookOverNanos = System.nanoTime();
    /**
     * When (nanoTime) this owner last granted each node a lease, or ordered a start or promotion that gives one.
     */
    private final Map<NodeName, Long> lastGrant = new java.util.concurrent.ConcurrentHashMap<>();
    /** When each node's agent last asked for its lease and got it (nanoTime of the request's reading). */
    private final Map<NodeName, Long> lastRenewal = new java.util.concurrent.ConcurrentHashMap<>();

    private final Object leaseLock = new Object();
    boolean paused;
    ScheduledSwitchover scheduled;
    TopologyChanged last;
    /** The fence LSN of the change under way, recorded in every topology until the change ends. */
    Lsn fenceLsn;
    /** The synchronous standbys the topology records (recorded before they are applied). */
    List<NodeName> sync = List.of();
    /** The primary's position when a union of old and new synchronous standbys was applied. */
    Lsn syncSwitchLsn;
    /** Since when each recorded synchronous standby has not streamed (nanoTime). */
    final Map<NodeName, Long> syncAwaySince = new HashMap<>();
    /**
     * A change whose promotion failed after the old primary was fenced (the candidate restarting, the outcome
     * unknown): the topology names the candidate, no node is writable, and the reconcile loop promotes it again
     * until it is ({@link Reconciler}); null otherwise.
     */
    PendingPromotion pendingPromotion;

    /**
     * @param correlationId the change's incident
     * @param kind what kind of change it was
     * @param old the fenced old primary
     * @param candidate the node the topology names and that is to be promoted
     * @param syncNames the synchronous_standby_names it starts with
     * @param newSync its synchronous standbys, recorded once it takes writes (until then the old primary's are:
     *     they hold every acknowledged commit)
     * @param startedNanos when the change began
     */
    record PendingPromotion(
            String correlationId,
            LeadershipChange kind,
            NodeName old,
            NodeName candidate,
            String syncNames,
            List<NodeName> newSync,
            long startedNanos) {}

    /** Standbys about to be rebuilt: the synchronous role moves off them first. */
    final Set<NodeName> leaving = new HashSet<>();

    long positionsPublishedNanos;
    final Set<NodeName> fenced = new HashSet<>();
    final Map<NodeName, Long> notStreamingSince = new HashMap<>();
    /** Cleared when the partition is no longer decided here: nothing more is committed. */
    private volatile boolean active = true;

    private long commits;

    OwnedCluster(ClusterId cluster, TopicPartition partition, Coordination c) {
        this.cluster = cluster;
        this.partition = partition;
        this.c = c;
    }

    void deactivate() {
        active = false;
        c.metrics().forget(cluster);
    }

    boolean active() {
        return active;
    }

    ClusterState observe() {
        return c.observe(cluster);
    }

    /** The rules' snapshot of this cluster, with the live reports. */
    CommandRules.Snapshot snapshot(ClusterState live) {
        return new CommandRules.Snapshot(
                cluster, term, target, paused, scheduled, last, live.nodes(), Optional.of(live));
    }

    TopologyChanged topology(ClusterState st, String reason) {
        List<Member> members = st.members(target, fenced, sync);
        Optional<NodeName> current = st.currentPrimary(target);
        Timeline tl = current.flatMap(st::report)
                .map(AgentReport::timeline)
                .orElse(last == null ? Timeline.of(1) : last.timeline());
        return new TopologyChanged(
                cluster,
                term,
                target,
                current.orElse(null),
                tl,
                members,
                reason,
                now(),
                paused,
                c.instance(),
                scheduled,
                fenceLsn);
    }

    /** The events {@code before}, then the topology, in one transaction, under one correlation id. */
    void publishTopology(ClusterState st, String reason, String correlationId, List<PgopsEvent> before) {
        publishTopology(st, reason, correlationId, before, List.of());
    }

    /** The prefix of the request id of the credential a new owner hands its target primary ({@link #publishTakeover}). */
    static final String TAKEOVER_CREDENTIAL = "takeover-term-";

    /**
     * The takeover topology, and in the same transaction, when the target primary takes writes, a lease credential of
     * the new term for it ({@code LeaseGranted} with request id {@value #TAKEOVER_CREDENTIAL}{@code <term>}). It
     * renews nothing (the agent counts its lease from its own requests only): it lets the primary's failsafe go on
     * holding once the other agents have read this term's topology. Without it, a primary living on the failsafe
     * during a takeover (no owner to renew its lease) showed a credential of the old term, which the other agents
     * refuse once they read the new one; an owner that died before it answered the primary's next request (the
     * test kills it as soon as its topology shows) left the primary stopped at the lease's end, 4–6 s of no writes
     * after every takeover in CoordinatorTakeoverIT.
     */
    void publishTakeover(ClusterState st, String reason) {
        List<ProducerRecord<String, byte[]>> extra = new ArrayList<>();
        if (st.report(target).map(AgentReport::writable).orElse(false)) {
            String credential = c.agents().leaseCredential(cluster, target, term);
            if (credential != null) {
                LeaseGranted g = new LeaseGranted(
                        cluster,
                        term,
                        target,
                        TAKEOVER_CREDENTIAL + term.value(),
                        c.config().leaseTtl().toMillis(),
                        c.instance(),
                        now(),
                        credential);
                extra.add(KafkaRecords.of(Topics.REPLICATION_LEASES, EventEnvelope.wrap(g, SOURCE, null)));
            }
        }
        publishTopology(st, reason, null, List.of(), extra);
    }

    private void publishTopology(
            ClusterState st,
            String reason,
            String correlationId,
            List<PgopsEvent> before,
            List<ProducerRecord<String, byte[]>> extra) {
        TopologyChanged t = topology(st, reason);
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        String corr = correlationId;
        for (PgopsEvent e : before) {
            EventEnvelope env = EventEnvelope.wrap(e, SOURCE, corr);
            corr = corr == null ? env.correlationId() : corr;
            records.add(KafkaRecords.of(Topics.REPLICATION_EVENTS, env));
        }
        EventEnvelope env = EventEnvelope.wrap(t, SOURCE, corr);
        records.add(KafkaRecords.of(Topics.TOPOLOGY, env));
        records.add(KafkaRecords.of(Topics.REPLICATION_EVENTS, env));
        records.addAll(extra);
        commit(records);
        last = t;
        positionsPublishedNanos = System.nanoTime();
        c.metrics().events(before);
        c.metrics().topology(t);
    }

    /** Only the compacted topology (WAL positions and lag moved; nothing the events topic carries). */
    void refreshPositions(ClusterState st) {
        EventEnvelope env = EventEnvelope.wrap(topology(st, "positions refreshed"), SOURCE, null);
        commit(List.of(KafkaRecords.of(Topics.TOPOLOGY, env)));
        last = (TopologyChanged) env.data();
        positionsPublishedNanos = System.nanoTime();
        c.metrics().topology(last);
    }

    void publish(String correlationId, PgopsEvent... events) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (PgopsEvent e : events) {
            records.add(KafkaRecords.of(Topics.REPLICATION_EVENTS, EventEnvelope.wrap(e, SOURCE, correlationId)));
        }
        commit(records);
        c.metrics().events(List.of(events));
    }

    void refuse(String correlationId, LeadershipChange kind, NodeName candidate, Refusal code, String reason) {
        LOG.infof("%s: refused (%s): %s", cluster, code.code(), reason);
        publish(correlationId, new FailoverRefused(cluster, term, kind, target, candidate, code.code(), reason, now()));
    }

    private void commit(List<ProducerRecord<String, byte[]>> records) {
        if (!active) {
            throw new LostOwnership(cluster + " is no longer decided by " + c.instance(), false, null);
        }
        c.log().commit(partition, records);
        commits++;
    }

    /** How many decisions this owner committed (tells whether a failed command left part of itself behind). */
    long commits() {
        return commits;
    }

    /**
     * The lease desk's answer to the primary's agent: a grant under the current term, committed like every
     * decision (a coordinator that lost the partition cannot commit it), only to the target primary. Empty when
     * the asking node is not the target. Called from the lease desk's thread.
     */
    Optional<LeaseGranted> grant(LeaseAsked a, long readNanos) {
        synchronized (leaseLock) {
            return grantLocked(a, readNanos);
        }
    }

    /**
     * Moves the target primary away: once this returns, no grant to the old target is being committed, and {@link
     * #lastGrantNanos} counts every grant it got.
     */
    void moveTarget(NodeName to) {
        synchronized (leaseLock) {
            target = to;
        }
    }

    /**
     * @param readNanos when the request was read: the agent sent it before, so its lease ends before readNanos +
     *     ttl, whatever the commit took
     */
    private Optional<LeaseGranted> grantLocked(LeaseAsked a, long readNanos) {
        NodeName t = target;
        if (!active || !a.node().equals(t)) {
            return Optional.empty();
        }
        LeaseGranted g = new LeaseGranted(
                cluster,
                term,
                t,
                a.requestId(),
                c.config().leaseTtl().toMillis(),
                c.instance(),
                now(),
                c.agents().leaseCredential(cluster, t, term));
        c.log()
                .commit(
                        partition,
                        List.of(KafkaRecords.of(Topics.REPLICATION_LEASES, EventEnvelope.wrap(g, SOURCE, null))));
        lastGrant.merge(t, readNanos, (x, y) -> y - x > 0 ? y : x);
        lastRenewal.merge(t, readNanos, (x, y) -> y - x > 0 ? y : x);
        return Optional.of(g);
    }

    /** A start or promotion of {@code node} was ordered: it holds a lease from then (see AgentNode). */
    void ordered(NodeName node) {
        lastGrant.put(node, System.nanoTime());
    }

    /**
     * When {@code node}'s agent last renewed its lease (a grant committed in answer to its request; a start or
     * promotion ordered here is none), or this owner's takeover when it has not since.
     */
    long lastRenewalNanos(NodeName node) {
        return lastRenewal.getOrDefault(node, tookOverNanos);
    }

    /** When {@code node}'s lease was last granted, as far as this owner can know (its takeover at the earliest). */
    long lastGrantNanos(NodeName node) {
        return lastGrant.getOrDefault(node, tookOverNanos);
    }

    StandbyRejoined rejoined(NodeName node, RejoinOutcome out) {
        Timeline tl = last == null ? Timeline.of(1) : last.timeline();
        return new StandbyRejoined(
                cluster, term, node, target, out.method(), tl, null, out.durationMillis(), out.reason(), now());
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
