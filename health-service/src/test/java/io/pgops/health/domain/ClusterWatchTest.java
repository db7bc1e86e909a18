package io.pgops.health.domain;

import static io.pgops.health.domain.Samples.N1;
import static io.pgops.health.domain.Samples.N2;
import static io.pgops.health.domain.Samples.N3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.backup.BackupCompleted;
import io.pgops.events.health.HealthCheckFailed;
import io.pgops.events.health.HealthCheckRecovered;
import io.pgops.events.health.HealthEvent;
import io.pgops.events.health.LagExceeded;
import io.pgops.events.health.LagRecovered;
import io.pgops.events.health.NodeUnreachable;
import io.pgops.events.health.PrimaryUnreachable;
import io.pgops.events.health.SecurityFindingDetected;
import io.pgops.events.health.SecurityFindingResolved;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Role;
import io.pgops.events.model.Term;
import io.pgops.events.model.Timeline;
import io.pgops.events.replication.Member;
import io.pgops.events.replication.TopologyChanged;
import io.pgops.health.domain.sample.NodeSample;
import io.pgops.health.domain.sample.Security;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterWatchTest {
    private static final ClusterId IT = ClusterId.of("it");
    private final Thresholds t = Thresholds.defaults();
    private final ClusterWatch watch = new ClusterWatch(
            IT,
            Map.of(
                    N1, new ClusterWatch.Endpoint("10.0.0.1", 5432),
                    N2, new ClusterWatch.Endpoint("10.0.0.2", 5432),
                    N3, new ClusterWatch.Endpoint("10.0.0.3", 5432)),
            t.debounce());
    private Instant now = Instant.parse("2026-11-25T03:00:00Z");

    private static final Lsn PRIMARY_LSN = Lsn.parse("1/0");
    private static final long MIB = 1024 * 1024;

    /** A cycle of the healthy topology where node3 has replayed up to {@code lagBytes} behind. */
    private List<Publication> cycle(long node3LagBytes) {
        now = now.plusSeconds(5);
        Lsn replay3 = Lsn.of(PRIMARY_LSN.value() - node3LagBytes);
        return watch.observe(
                List.of(
                        Samples.primary(
                                N1,
                                now,
                                PRIMARY_LSN,
                                List.of(Samples.streaming(N2, PRIMARY_LSN), Samples.streaming(N3, replay3))),
                        Samples.standby(N2, now, PRIMARY_LSN, 0),
                        Samples.standby(N3, now, replay3, 0)),
                t);
    }

    private List<Publication> cycle(NodeSample... samples) {
        return watch.observe(List.of(samples), t);
    }

    private static List<HealthEvent> events(List<Publication> p) {
        return p.stream().map(Publication::event).toList();
    }

    @Test
    void aStandbyLaggingThreeProbesRaisesHealthCheckFailedAndLagExceededWithTheLsns() {
        cycle(0);
        assertTrue(cycle(20 * MIB).isEmpty());
        assertTrue(cycle(20 * MIB).isEmpty());
        List<Publication> breach = cycle(20 * MIB);
        assertEquals(2, breach.size(), breach.toString());
        HealthCheckFailed failed =
                assertInstanceOf(HealthCheckFailed.class, breach.get(0).event());
        assertEquals("replication-lag", failed.check());
        assertEquals(N3, failed.node());
        assertEquals(20 * MIB, (long) failed.measured());
        assertEquals("bytes", failed.unit());
        LagExceeded lag = assertInstanceOf(LagExceeded.class, breach.get(1).event());
        assertEquals(PRIMARY_LSN, lag.primaryLsn());
        assertEquals(Lsn.of(PRIMARY_LSN.value() - 20 * MIB), lag.standbyReplayLsn());
        assertEquals(20 * MIB, lag.lagBytes());
        assertEquals(N1, lag.primary());
        assertEquals(breach.get(0).correlationId(), breach.get(1).correlationId());

        assertTrue(cycle(20 * MIB).isEmpty(), "no storm while the breach lasts");
        assertTrue(cycle(0).isEmpty(), "one pass is not a recovery");
        List<Publication> recovery = cycle(0);
        assertInstanceOf(HealthCheckRecovered.class, recovery.get(0).event());
        LagRecovered recovered =
                assertInstanceOf(LagRecovered.class, recovery.get(1).event());
        assertEquals(15_000, recovered.exceededForMillis(), "from the breach to the recovery");
        assertEquals(breach.get(0).correlationId(), recovery.get(1).correlationId());
    }

    /** A healthy cycle whose primary has {@code weakRules} as its pg_hba rules accepting md5. */
    private List<Publication> securityCycle(List<String> weakRules) {
        now = now.plusSeconds(5);
        return watch.observe(
                List.of(
                        Samples.primary(
                                        N1,
                                        now,
                                        PRIMARY_LSN,
                                        List.of(Samples.streaming(N2, PRIMARY_LSN), Samples.streaming(N3, PRIMARY_LSN)))
                                .withSecurity(new Security(
                                        true, "scram-sha-256", List.of(), List.of(), weakRules, false, null)),
                        Samples.standby(N2, now, PRIMARY_LSN, 0),
                        Samples.standby(N3, now, PRIMARY_LSN, 0)),
                t);
    }

    @Test
    void aWeakPgHbaMethodIsASecurityFindingWithItsRemedyAndItsResolutionClosesIt() {
        List<String> md5 = List.of("host all all 10.0.0.0/8 md5");
        List<Publication> all = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            all.addAll(securityCycle(md5));
        }
        List<Publication> found = all.stream()
                .filter(p -> p.event() instanceof SecurityFindingDetected)
                .toList();
        assertEquals(1, found.size(), all.toString());
        SecurityFindingDetected f = (SecurityFindingDetected) found.getFirst().event();
        assertEquals("hba-methods", f.finding());
        assertEquals(N1, f.node());
        assertEquals("warning", f.severity());
        assertTrue(f.evidence().contains("host all all 10.0.0.0/8 md5"), f.evidence());
        assertTrue(f.remedy().contains("scram-sha-256"), f.remedy());
        HealthCheckFailed failed = all.stream()
                .map(Publication::event)
                .filter(e -> e instanceof HealthCheckFailed h && h.check().equals("hba-methods"))
                .map(HealthCheckFailed.class::cast)
                .findFirst()
                .orElseThrow();
        assertEquals(f.detectedAt(), failed.probedAt());
        String incident = found.getFirst().correlationId();

        List<Publication> after = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            after.addAll(securityCycle(List.of()));
        }
        SecurityFindingResolved resolved = after.stream()
                .map(Publication::event)
                .filter(e -> e instanceof SecurityFindingResolved)
                .map(SecurityFindingResolved.class::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no resolution in " + after));
        assertEquals("hba-methods", resolved.finding());
        assertTrue(resolved.openForMillis() > 0);
        assertEquals(
                incident,
                after.stream()
                        .filter(p -> p.event() instanceof SecurityFindingResolved)
                        .findFirst()
                        .orElseThrow()
                        .correlationId(),
                "one incident from finding to resolution");
        assertTrue(
                all.stream()
                        .noneMatch(p -> p.event() instanceof SecurityFindingDetected x
                                && !x.finding().equals("hba-methods")),
                "only the weak rule is a finding");
    }

    @Test
    void aStandbyLaggingOnlyEveryOtherProbeRaisesNothing() {
        List<Publication> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            all.addAll(cycle(i % 3 == 2 ? 0 : 20 * MIB));
        }
        assertTrue(all.isEmpty(), all.toString());
    }

    @Test
    void aFailoverIsNotABreachStormItsReplicationBreachesCloseAndReplicationChecksSettle() {
        cycle(0);
        for (int i = 0; i < 3; i++) {
            cycle(20 * MIB);
        }
        List<Publication> all = new ArrayList<>();
        // node1 dies; node2 is promoted; node3 is not re-pointed yet (missing from node2's pg_stat_replication)
        for (int i = 0; i < 6; i++) {
            now = now.plusSeconds(5);
            all.addAll(cycle(
                    Samples.down(N1, now),
                    Samples.primary(N2, now, Lsn.parse("1/2000000"), List.of()),
                    Samples.standby(N3, now, PRIMARY_LSN, 0)));
        }
        List<HealthEvent> events = events(all);
        assertEquals(2, events.size(), events.toString());
        assertInstanceOf(NodeUnreachable.class, events.get(0));
        PrimaryUnreachable p = assertInstanceOf(PrimaryUnreachable.class, events.get(1));
        assertEquals(N1, p.node());
        assertTrue(watch.view(now).settling(), "replication checks hold still after the primary moved to node2");
        assertEquals(N2, watch.view(now).primary());
    }

    @Test
    void aStandbyPromotedWhileLaggingClosesItsLagIncidentSayingWhy() {
        cycle(0);
        cycle(20 * MIB);
        cycle(20 * MIB);
        String incident = cycle(20 * MIB).getFirst().correlationId();
        now = now.plusSeconds(5);
        List<Publication> out = cycle(
                Samples.primary(N1, now, PRIMARY_LSN, List.of(Samples.streaming(N2, PRIMARY_LSN))),
                Samples.standby(N2, now, PRIMARY_LSN, 0),
                Samples.primary(N3, now, Lsn.parse("0/1000"), List.of()));
        HealthCheckRecovered r =
                assertInstanceOf(HealthCheckRecovered.class, out.get(0).event());
        assertTrue(r.evidence().contains("changed role from standby to primary"), r.evidence());
        assertInstanceOf(LagRecovered.class, out.get(1).event());
        assertEquals(incident, out.get(0).correlationId());
    }

    @Test
    void whileTheTopologySaysAChangeIsInProgressLagIsNotJudged() {
        watch.topology(topology(2, N2, null), t);
        List<Publication> all = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            all.addAll(cycle(20 * MIB));
        }
        assertTrue(all.isEmpty(), all.toString());
        watch.topology(topology(3, N1, N1), t);
        now = now.plus(t.topologySettle());
        for (int i = 0; i < 3; i++) {
            all.addAll(cycle(20 * MIB));
        }
        assertTrue(events(all).stream().anyMatch(LagExceeded.class::isInstance), "judged again once settled");
    }

    @Test
    void theNodeTheTopologyNamesPrimaryIsReportedAsPrimaryUnreachableEvenIfNeverSeenAnswering() {
        watch.topology(topology(4, N2, N2), t);
        List<Publication> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            now = now.plusSeconds(5);
            all.addAll(cycle(Samples.down(N2, now)));
        }
        assertTrue(events(all).stream()
                .anyMatch(e -> e instanceof PrimaryUnreachable p && p.node().equals(N2)));
    }

    @Test
    void aLogicalDumpDoesNotMakeTheClustersBackupsFresh() {
        cycle(0);
        watch.backupCompleted(new BackupCompleted(
                IT, "b-old", "physical", N1, "repo", new Timeline(1), null, null, 1, 1, now.minus(Duration.ofDays(3))));
        watch.backupCompleted(new BackupCompleted(
                IT,
                "d-schema",
                "logical",
                N1,
                "repo",
                new Timeline(1),
                null,
                null,
                1,
                1,
                now.minus(Duration.ofMinutes(1))));
        cycle(0);
        assertTrue(
                check(N1, CheckNames.BACKUP_FRESHNESS).evidence().startsWith("newest backup b-old (physical"),
                check(N1, CheckNames.BACKUP_FRESHNESS).evidence());
    }

    @Test
    void anOlderTermReplayedFromTheCompactedTopicIsIgnored() {
        watch.topology(topology(5, N1, N1), t);
        watch.topology(topology(4, N2, N2), t);
        assertEquals(N1, watch.view(now).topology().currentPrimary());
    }

    @Test
    void backupFreshnessIsJudgedOnThePrimaryAgainstTheNewestBackupSeen() {
        cycle(0);
        watch.backupCompleted(new BackupCompleted(
                IT, "b-old", "physical", N2, "repo", new Timeline(1), null, null, 1, 1, now.minus(Duration.ofDays(3))));
        watch.backupCompleted(new BackupCompleted(
                IT,
                "b-new",
                "physical",
                N2,
                "repo",
                new Timeline(1),
                null,
                null,
                1,
                1,
                now.minus(Duration.ofHours(1))));
        watch.backupCompleted(new BackupCompleted(
                IT,
                "b-replayed",
                "physical",
                N2,
                "repo",
                new Timeline(1),
                null,
                null,
                1,
                1,
                now.minus(Duration.ofDays(2))));
        cycle(0);
        ClusterView.CheckView fresh = check(N1, CheckNames.BACKUP_FRESHNESS);
        assertEquals(Watch.State.PASSING, fresh.state());
        assertTrue(
                fresh.evidence().startsWith("newest backup b-new (physical, from node2) completed 60.1 min ago"),
                fresh.evidence());
        now = now.plus(Duration.ofHours(26));
        List<Publication> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            all.addAll(cycle(0));
        }
        HealthCheckFailed stale =
                assertInstanceOf(HealthCheckFailed.class, all.getFirst().event());
        assertEquals(CheckNames.BACKUP_FRESHNESS, stale.check());
        assertEquals(N1, stale.node());
    }

    @Test
    void withNoBackupSeenTheAgeCountsFromWhenWatchingStarted() {
        cycle(0);
        assertEquals(Watch.State.PASSING, check(N1, CheckNames.BACKUP_FRESHNESS).state());
        assertTrue(check(N1, CheckNames.BACKUP_FRESHNESS).evidence().startsWith("no BackupCompleted of it seen"));
    }

    private ClusterView.CheckView check(NodeName node, String check) {
        return watch.view(now).nodes().stream()
                .filter(n -> n.node().equals(node))
                .flatMap(n -> n.checks().stream())
                .filter(c -> c.check().equals(check))
                .findFirst()
                .orElseThrow(() -> new AssertionError(check + " not judged on " + node));
    }

    private TopologyChanged topology(long term, NodeName target, NodeName current) {
        return new TopologyChanged(
                IT,
                new Term(term),
                target,
                current,
                new Timeline(1),
                List.of(
                        new Member(N1, Role.PRIMARY, "10.0.0.1", 5432, null, false),
                        new Member(N2, Role.STANDBY, "10.0.0.2", 5432, null, true),
                        new Member(N3, Role.STANDBY, "10.0.0.3", 5432, null, false)),
                "test",
                now);
    }
}
