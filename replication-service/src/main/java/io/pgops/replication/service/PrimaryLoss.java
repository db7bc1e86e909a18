package io.pgops.replication.service;

import io.pgops.events.EventIds;
import io.pgops.events.model.NodeName;
import io.pgops.events.replication.LeadershipChange;
import io.pgops.replication.domain.AgentReport;
import io.pgops.replication.domain.AutomaticFailover;
import io.pgops.replication.domain.ClusterState;
import io.pgops.replication.domain.PrimaryWatch;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The owner's watch over its primary, at every look of the cluster's loop: its agent's report, and a
 * direct SQL probe when the agent does not answer ({@link PrimaryWatch}); a lost primary is failed over
 * when {@link AutomaticFailover} allows it, under a correlation id of its own that every event of the
 * incident carries; a failover it holds back is published once per reason ({@code FailoverRefused}).
 */
final class PrimaryLoss {
    private static final Logger LOG = Logger.getLogger(PrimaryLoss.class);

    /** What a look found. */
    enum Outcome {
        /** Nothing for this watch to do: the repairs go on. */
        NORMAL,
        /** One failed look: the next one comes sooner. */
        SUSPECT,
        /** A failover ran (or was held back): no repairs on this look. */
        ACTED
    }

    /** A health-service breach: who, under which correlation id, when it arrived (nanoTime). */
    record Breach(NodeName node, String correlationId, long atNanos) {}

    /** How long a breach names the incident of a failover that follows it. */
    private static final Duration BREACH_FRESH = Duration.ofSeconds(60);

    private final OwnedCluster o;
    private final Coordination c;
    private final PrimaryWatch watch;
    private NodeName watched;
    private long watchedSinceNanos;
    private long agentAnsweringSinceNanos = -1;
    private String lastHold;
    private long lastChangeEndedNanos = -1;
    private Breach breach;

    PrimaryLoss(OwnedCluster o) {
        this.o = o;
        this.c = o.c;
        this.watch = new PrimaryWatch(
                c.config().failoverConfirmations(),
                c.config().primaryStartTimeout(),
                c.config().leaseTtl());
    }

    /** The health-service's breach: the next look comes at once; its id names the incident if one follows. */
    void breach(Breach b) {
        breach = b;
    }

    /** A leadership change (by command or by this watch) just ended: the cooldown starts. */
    void changeEnded() {
        lastChangeEndedNanos = System.nanoTime();
        watch.reset();
    }

    Outcome look(ClusterState st) {
        if (!c.config().automaticFailover()) {
            return Outcome.NORMAL;
        }
        long now = System.nanoTime();
        if (!o.target.equals(watched)) {
            watch.reset();
            watched = o.target;
            watchedSinceNanos = now;
            lastHold = null;
        }
        Optional<AgentReport> r = st.report(o.target);
        if (r.isEmpty()) {
            agentAnsweringSinceNanos = -1;
        } else if (agentAnsweringSinceNanos < 0) {
            agentAnsweringSinceNanos = now;
        }
        String probeError = r.isPresent() ? null : c.probe().failure(o.cluster, st.spec(o.target));
        PrimaryWatch.Verdict v = watch.look(
                new PrimaryWatch.Look(
                        r.isPresent(),
                        r.map(AgentReport::writable).orElse(false),
                        r.map(AgentReport::stopped).orElse(false),
                        probeError,
                        leaseSilenceMillis(now)),
                now);
        switch (v.state()) {
            case HEALTHY, RESTARTING -> {
                lastHold = null;
                return Outcome.NORMAL;
            }
            case SUSPECT -> {
                LOG.infof("%s: the primary %s is suspect: %s", o.cluster, o.target, v.reason());
                return Outcome.SUSPECT;
            }
            case LOST -> {
                return failover(st, r.isPresent(), v.reason());
            }
            case CUT_OFF -> {
                // its agent answers but takes no command: the old primary is fenced by its lease, as if unreachable
                return failover(st, false, v.reason());
            }
        }
        return Outcome.NORMAL;
    }

    /**
     * How long the watched primary's agent has not renewed its lease while it and Kafka answered here all along:
     * from the latest of its last renewal, the watch's start on it, the last change's end, the agent's return
     * (a restarted agent first reads the topology) and Kafka's return to this coordinator; -1 when Kafka does not
     * answer here now (an outage for everyone is no agent cut off).
     */
    private long leaseSilenceMillis(long now) {
        long kafkaSince = c.reach().answeringSince(now);
        if (kafkaSince < 0) {
            return -1;
        }
        long from = Math.max(
                Math.max(o.lastRenewalNanos(o.target), watchedSinceNanos),
                Math.max(kafkaSince, agentAnsweringSinceNanos));
        if (lastChangeEndedNanos >= 0) {
            from = Math.max(from, lastChangeEndedNanos);
        }
        return Math.max(0, (now - from) / 1_000_000);
    }

    private Outcome failover(ClusterState st, boolean agentAlive, String lostBecause) {
        Duration since = lastChangeEndedNanos < 0 ? null : Duration.ofNanos(System.nanoTime() - lastChangeEndedNanos);
        AutomaticFailover.Decision d = AutomaticFailover.decide(
                o.snapshot(st),
                c.syncMode(o.cluster),
                o.sync,
                since,
                c.config().failoverCooldown(),
                c.config().maximumLagOnFailover(),
                lostBecause);
        switch (d) {
            case AutomaticFailover.Hold h -> {
                if (!h.reason().equals(lastHold)) {
                    lastHold = h.reason();
                    LOG.warnf("%s: no automatic failover: %s", o.cluster, h.reason());
                    o.refuse(EventIds.newId(), LeadershipChange.FAILOVER, null, h.code(), h.reason());
                }
                return Outcome.NORMAL;
            }
            case AutomaticFailover.Promote p -> {
                Breach b = breach;
                boolean adopted = b != null
                        && b.node().equals(o.target)
                        && System.nanoTime() - b.atNanos() < BREACH_FRESH.toNanos();
                String incident = adopted ? b.correlationId() : EventIds.newId();
                breach = null;
                LOG.warnf(
                        "%s: automatic failover%s: %s",
                        o.cluster, adopted ? " (the health-service's breach " + incident + ")" : "", p.reason());
                new ChangeRunner(o)
                        .change(
                                new ChangeRunner.Incident(incident, "automatic failover of " + o.target),
                                LeadershipChange.FAILOVER,
                                st,
                                p.candidate(),
                                agentAlive,
                                false,
                                p.reason());
                changeEnded();
                return Outcome.ACTED;
            }
        }
    }
}
