package io.pgops.replication.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Role;
import io.pgops.events.model.Term;
import io.pgops.events.model.Timeline;
import io.pgops.events.replication.FailoverCompleted;
import io.pgops.events.replication.FailoverRefused;
import io.pgops.events.replication.LeadershipChange;
import io.pgops.events.replication.Member;
import io.pgops.events.replication.TopologyChanged;
import io.pgops.replication.domain.Lease;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What an operator's Prometheus scrapes from the replication-service, by name as Prometheus shows it. */
class ReplicationMetricsTest {
    private static final ClusterId CLUSTER = ClusterId.of("metrics-test");
    private static final Instant AT = Instant.parse("2026-12-06T17:00:00Z");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ReplicationMetrics metrics = new ReplicationMetrics(registry);

    private static TopologyChanged topology(long term, long lagOfNode2, boolean node3Sync) {
        return new TopologyChanged(
                CLUSTER,
                Term.of(term),
                NodeName.of("node1"),
                NodeName.of("node1"),
                Timeline.of(2),
                List.of(
                        new Member(
                                NodeName.of("node1"),
                                Role.PRIMARY,
                                "127.0.0.1",
                                5432,
                                Lsn.of(4096),
                                false,
                                null,
                                Timeline.of(2),
                                0L,
                                List.of()),
                        new Member(
                                NodeName.of("node2"),
                                Role.STANDBY,
                                "127.0.0.1",
                                5433,
                                Lsn.of(1024),
                                false,
                                "streaming",
                                Timeline.of(2),
                                lagOfNode2,
                                List.of()),
                        new Member(
                                NodeName.of("node3"),
                                Role.STANDBY,
                                "127.0.0.1",
                                5434,
                                null,
                                node3Sync,
                                null,
                                null,
                                null,
                                List.of())),
                "test",
                AT,
                false,
                "coordinator-a",
                null);
    }

    private double value(String series) {
        Matcher m =
                Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(registry.scrape());
        assertTrue(m.find(), () -> series + " not in the scrape:\n" + registry.scrape());
        return Double.parseDouble(m.group(1));
    }

    @Test
    void theCommittedTopologyShowsTermRoleLagAndSyncPerMember() {
        metrics.topology(topology(7, 3072, true));

        assertEquals(1, value("pgops_replication_cluster_owned{cluster=\"metrics-test\",}"));
        assertEquals(7, value("pgops_replication_term{cluster=\"metrics-test\",}"));
        assertEquals(2, value("pgops_replication_timeline{cluster=\"metrics-test\",}"));
        assertEquals(
                1, value("pgops_replication_member_role{cluster=\"metrics-test\",member=\"node1\",role=\"primary\",}"));
        assertEquals(
                0, value("pgops_replication_member_role{cluster=\"metrics-test\",member=\"node1\",role=\"standby\",}"));
        assertEquals(
                1, value("pgops_replication_member_role{cluster=\"metrics-test\",member=\"node2\",role=\"standby\",}"));
        assertEquals(3072, value("pgops_replication_member_lag_bytes{cluster=\"metrics-test\",member=\"node2\",}"));
        assertTrue(
                Double.isNaN(value("pgops_replication_member_lag_bytes{cluster=\"metrics-test\",member=\"node3\",}")));
        assertEquals(1, value("pgops_replication_member_synchronous{cluster=\"metrics-test\",member=\"node3\",}"));
    }

    @Test
    void aNewerTopologyReplacesTheGaugesValues() {
        metrics.topology(topology(7, 3072, true));
        metrics.topology(topology(8, 0, false));

        assertEquals(8, value("pgops_replication_term{cluster=\"metrics-test\",}"));
        assertEquals(0, value("pgops_replication_member_lag_bytes{cluster=\"metrics-test\",member=\"node2\",}"));
        assertEquals(0, value("pgops_replication_member_synchronous{cluster=\"metrics-test\",member=\"node3\",}"));
    }

    @Test
    void completedChangesAreCountedWithTheirDurationAndRefusalsByReason() {
        FailoverCompleted done = new FailoverCompleted(
                CLUSTER,
                Term.of(8),
                LeadershipChange.FAILOVER,
                NodeName.of("node1"),
                NodeName.of("node2"),
                Timeline.of(3),
                Lsn.of(8192),
                null,
                1900,
                "test",
                AT);
        FailoverRefused refused = new FailoverRefused(
                CLUSTER,
                Term.of(8),
                LeadershipChange.FAILOVER,
                NodeName.of("node2"),
                null,
                "cooldown",
                "within the cooldown",
                AT);
        metrics.events(List.of(done, refused, refused));

        assertEquals(1, value("pgops_replication_changes_total{cluster=\"metrics-test\",kind=\"failover\",}"));
        assertEquals(
                1,
                value("pgops_replication_change_duration_seconds_count{cluster=\"metrics-test\",kind=\"failover\",}"));
        assertEquals(
                1.9,
                value("pgops_replication_change_duration_seconds_sum{cluster=\"metrics-test\",kind=\"failover\",}"));
        assertEquals(
                2,
                value(
                        "pgops_replication_refusals_total{cluster=\"metrics-test\",kind=\"failover\",reason=\"cooldown\",}"));
    }

    @Test
    void anInstanceThatLostTheClusterDropsItsGaugesButKeepsItsCounts() {
        metrics.topology(topology(7, 3072, true));
        metrics.events(List.of(new FailoverRefused(
                CLUSTER, Term.of(7), LeadershipChange.FAILOVER, null, null, "paused", "paused", AT)));

        metrics.forget(CLUSTER);

        String scrape = registry.scrape();
        assertFalse(scrape.contains("pgops_replication_term{"), scrape);
        assertFalse(scrape.contains("pgops_replication_cluster_owned{"), scrape);
        assertFalse(scrape.contains("pgops_replication_member_lag_bytes{"), scrape);
        assertTrue(scrape.contains("pgops_replication_refusals_total{"), scrape);
    }

    @Test
    void theAgentShowsWhatIsLeftOfItsLease() {
        Lease lease = new Lease(java.time.Duration.ofSeconds(1));
        NodeName node = NodeName.of("node1");
        metrics.lease(CLUSTER, node, lease.look(System.nanoTime(), java.time.Duration.ofSeconds(1)));
        assertEquals(0, value("pgops_replication_lease_remaining_seconds{cluster=\"metrics-test\",member=\"node1\",}"));
        assertEquals(0, value("pgops_replication_lease_held{cluster=\"metrics-test\",member=\"node1\",}"));

        long now = System.nanoTime();
        lease.grant(now, java.time.Duration.ofSeconds(3), "test");
        metrics.lease(CLUSTER, node, lease.look(now, java.time.Duration.ofSeconds(1)));
        assertEquals(3, value("pgops_replication_lease_remaining_seconds{cluster=\"metrics-test\",member=\"node1\",}"));
        assertEquals(1, value("pgops_replication_lease_held{cluster=\"metrics-test\",member=\"node1\",}"));
    }
}
