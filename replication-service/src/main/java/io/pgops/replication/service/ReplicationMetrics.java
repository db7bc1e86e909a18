package io.pgops.replication.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.pgops.events.PgopsEvent;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Role;
import io.pgops.events.replication.FailoverCompleted;
import io.pgops.events.replication.FailoverRefused;
import io.pgops.events.replication.Member;
import io.pgops.events.replication.TopologyChanged;
import io.pgops.replication.domain.Lease;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The replication-service's Prometheus metrics, from what it committed (the owning coordinator) and from the
 * lease it holds (an agent):
 *
 * <ul>
 *   <li>{@code pgops_replication_cluster_owned{cluster}} 1 on the instance that decides the cluster (the gauges
 *       below are that instance's; another instance's are dropped when it loses the cluster);
 *   <li>{@code pgops_replication_term}, {@code pgops_replication_timeline}, {@code pgops_replication_paused};
 *   <li>per member: {@code pgops_replication_member_role{role}} (1 for its role, 0 for the others),
 *       {@code pgops_replication_member_lag_bytes}, {@code pgops_replication_member_synchronous};
 *   <li>{@code pgops_replication_changes_total{kind}} and {@code pgops_replication_change_duration_seconds{kind}}
 *       (failovers, switchovers, promotions completed, from detection or command to writable),
 *       {@code pgops_replication_refusals_total{kind, reason}};
 *   <li>on an agent: {@code pgops_replication_lease_remaining_seconds{cluster, member}} and
 *       {@code pgops_replication_lease_held}.
 * </ul>
 *
 * A metric never gets in the way of a decision: a failure to record one is logged and dropped.
 */
@ApplicationScoped
public class ReplicationMetrics {
    private static final Logger LOG = Logger.getLogger(ReplicationMetrics.class);

    /** Gauge holders by meter id, for the JVM's lifetime (a registered gauge keeps the holder it was first given). */
    private static final Map<String, AtomicReference<Double>> GAUGES = new ConcurrentHashMap<>();

    private final MeterRegistry registry;

    public ReplicationMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A topology this instance committed for a cluster it owns. */
    public void topology(TopologyChanged t) {
        guarded(() -> {
            Tags cluster = Tags.of("cluster", t.cluster().value());
            set("pgops.replication.cluster.owned", cluster, 1, null, "1 on the instance that decides the cluster");
            // the change counters exist at 0 from the first topology on, so that a dashboard's or an alert's
            // increase() has a series before the first failover
            for (io.pgops.events.replication.LeadershipChange kind :
                    io.pgops.events.replication.LeadershipChange.values()) {
                changes(cluster.and("kind", kind.code()));
            }
            set("pgops.replication.term", cluster, t.term().value(), null, "the cluster's current term");
            set("pgops.replication.timeline", cluster, t.timeline().value(), null, "the primary's timeline");
            set(
                    "pgops.replication.paused",
                    cluster,
                    Boolean.TRUE.equals(t.paused()) ? 1 : 0,
                    null,
                    "1 while automatic changes are paused");
            for (Member m : t.members()) {
                Tags member = cluster.and("member", m.name().value());
                for (Role r : Role.values()) {
                    set(
                            "pgops.replication.member.role",
                            member.and("role", r.code()),
                            m.role() == r ? 1 : 0,
                            null,
                            "1 for the member's role in the committed topology, 0 for the other roles");
                }
                set(
                        "pgops.replication.member.lag",
                        member,
                        m.lagBytes() == null ? Double.NaN : m.lagBytes(),
                        "bytes",
                        "WAL bytes the member is behind the primary (NaN: not known)");
                set(
                        "pgops.replication.member.synchronous",
                        member,
                        m.sync() ? 1 : 0,
                        null,
                        "1 when the topology records the member as a synchronous standby");
            }
        });
    }

    /** Events this instance committed: completed changes and refusals are counted. */
    public void events(List<? extends PgopsEvent> events) {
        guarded(() -> {
            for (PgopsEvent e : events) {
                if (e instanceof FailoverCompleted f) {
                    Tags tags = Tags.of(
                            "cluster", f.cluster().value(), "kind", f.kind().code());
                    changes(tags).increment();
                    duration(tags).record(Duration.ofMillis(f.durationMillis()));
                } else if (e instanceof FailoverRefused r) {
                    Counter.builder("pgops.replication.refusals")
                            .description("changes refused or held back, by reason")
                            .tags(
                                    "cluster",
                                    r.cluster().value(),
                                    "kind",
                                    r.kind().code(),
                                    "reason",
                                    r.code())
                            .register(registry)
                            .increment();
                }
            }
        });
    }

    private Counter changes(Tags tags) {
        duration(tags);
        return Counter.builder("pgops.replication.changes")
                .description("leadership changes completed (failover, switchover, promote)")
                .tags(tags)
                .register(registry);
    }

    private Timer duration(Tags tags) {
        return Timer.builder("pgops.replication.change.duration")
                .description("a completed change, from its detection or command to the new primary taking writes")
                .tags(tags)
                .register(registry);
    }

    /** This instance no longer decides {@code cluster}: its gauges of that cluster go (counters stay). */
    public void forget(ClusterId cluster) {
        guarded(() -> {
            for (Meter m : registry.getMeters()) {
                if (m instanceof Gauge
                        && m.getId().getName().startsWith("pgops.replication.")
                        && !m.getId().getName().startsWith("pgops.replication.lease.")
                        && cluster.value().equals(m.getId().getTag("cluster"))) {
                    registry.remove(m);
                    GAUGES.remove(key(m.getId().getName(), Tags.of(m.getId().getTagsAsIterable())));
                }
            }
        });
    }

    /** The lease of the primary this agent sits beside, as its watch last looked at it. */
    public void lease(ClusterId cluster, NodeName member, Lease.Look look) {
        guarded(() -> {
            Tags tags = Tags.of("cluster", cluster.value(), "member", member.value());
            set(
                    "pgops.replication.lease.remaining",
                    tags,
                    look.state() == Lease.State.NONE ? 0 : look.remainingMillis() / 1000.0,
                    "seconds",
                    "what is left of the primary's lease on this agent (0: none or run out)");
            set(
                    "pgops.replication.lease.held",
                    tags,
                    look.routable() ? 1 : 0,
                    null,
                    "1 while the lease lets /primary answer 200");
        });
    }

    private void set(String name, Tags tags, double value, String baseUnit, String help) {
        AtomicReference<Double> holder = GAUGES.computeIfAbsent(key(name, tags), k -> new AtomicReference<>(0.0));
        holder.set(value);
        Gauge.builder(name, holder, AtomicReference::get)
                .tags(tags)
                .baseUnit(baseUnit)
                .description(help)
                .strongReference(true)
                .register(registry);
    }

    private static String key(String name, Tags tags) {
        return name + tags;
    }

    private static void guarded(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException ex) {
            LOG.debugf("a replication metric was not recorded: %s", ex);
        }
    }
}
