package io.pgops.health.domain;

import static io.pgops.health.domain.Samples.N1;
import static io.pgops.health.domain.Samples.N3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.model.Lsn;
import io.pgops.events.model.Role;
import io.pgops.health.domain.sample.Capacity;
import io.pgops.health.domain.sample.Counters;
import io.pgops.health.domain.sample.NodeSample;
import io.pgops.health.domain.sample.Security;
import io.pgops.health.domain.sample.Sessions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChecksTest {
    private static final Instant AT = Instant.parse("2026-11-25T03:00:00Z");
    private final Thresholds t = Thresholds.defaults();

    private static CheckResult find(List<CheckResult> results, String check) {
        return results.stream()
                .filter(r -> r.check().equals(check))
                .findFirst()
                .orElseThrow(() -> new AssertionError(check + " not judged: " + results));
    }

    @Test
    void aStandbyMissingFromPgStatReplicationFailsReplicationConnected() {
        NodeSample primary = Samples.primary(N1, AT, Lsn.parse("1/0"), List.of());
        NodeSample standby = Samples.standby(N3, AT, Lsn.parse("1/0"), 0);
        CheckResult r = find(ReplicationChecks.evaluate(standby, primary, t), CheckNames.REPLICATION_CONNECTED);
        assertTrue(r.failing());
        assertEquals("node3 is missing from pg_stat_replication on node1", r.evidence());
    }

    @Test
    void replayDelayAloneExceedingItsLimitIsReportedInMilliseconds() {
        NodeSample primary =
                Samples.primary(N1, AT, Lsn.parse("1/0"), List.of(Samples.streaming(N3, Lsn.parse("1/0"))));
        NodeSample standby = Samples.standby(N3, AT, Lsn.parse("1/0"), 45_000);
        CheckResult r = find(ReplicationChecks.evaluate(standby, primary, t), CheckNames.REPLICATION_LAG);
        assertTrue(r.failing());
        assertEquals("milliseconds", r.unit());
        assertEquals(45_000, r.measured());
    }

    @Test
    void longQueriesFailOnlyWhenMoreThanTheCountRunLongerThanTheAge() {
        Sessions.Session s = new Sessions.Session(42, "app", 400_000, "SELECT pg_sleep(600)");
        NodeSample five =
                Samples.standby(N3, AT, Lsn.ZERO, 0).withSessions(new Sessions(5, List.of(s), List.of(), List.of()));
        NodeSample six = five.withSessions(new Sessions(6, List.of(s), List.of(), List.of()));
        assertFalse(
                find(SessionChecks.evaluate(five, t), CheckNames.LONG_QUERIES).failing());
        CheckResult r = find(SessionChecks.evaluate(six, t), CheckNames.LONG_QUERIES);
        assertTrue(r.failing());
        assertTrue(r.evidence().contains("pid 42 (app, 6.7 min): SELECT pg_sleep(600)"), r.evidence());
    }

    @Test
    void aBlockingChainNamesBothPidsAndTheirStatements() {
        Sessions.Blocked edge = new Sessions.Blocked(
                200, 40_000, "UPDATE t SET v = 2 WHERE id = 1", 100, "idle in transaction", "UPDATE t SET v = 1");
        NodeSample s =
                Samples.standby(N1, AT, Lsn.ZERO, 0).withSessions(new Sessions(0, List.of(), List.of(), List.of(edge)));
        CheckResult r = find(SessionChecks.evaluate(s, t), CheckNames.BLOCKED_SESSIONS);
        assertTrue(r.failing());
        assertEquals(
                "1 session(s) blocked longer than 30.0 s: pid 200 (UPDATE t SET v = 2 WHERE id = 1) waits 40.0 s"
                        + " for pid 100 (idle in transaction: UPDATE t SET v = 1)",
                r.evidence());
    }

    @Test
    void connectionUseWarnsAtSeventyFivePercentAndIsCriticalAtNinetyOfUsableConnections() {
        // 100 max, 3 reserved: 97 usable
        NodeSample eighty = Samples.standby(N1, AT, Lsn.ZERO, 0).withCapacity(new Capacity(78, 100, 3, 0, 0));
        assertTrue(find(CapacityChecks.evaluate(eighty, t), CheckNames.CONNECTIONS_WARNING)
                .failing());
        assertFalse(find(CapacityChecks.evaluate(eighty, t), CheckNames.CONNECTIONS_CRITICAL)
                .failing());
        NodeSample full = eighty.withCapacity(new Capacity(90, 100, 3, 0, 0));
        CheckResult critical = find(CapacityChecks.evaluate(full, t), CheckNames.CONNECTIONS_CRITICAL);
        assertTrue(critical.failing());
        assertEquals(Severity.CRITICAL, critical.severity());
    }

    @Test
    void oneDeadlockFailsTheCheckForTheWholeWindowThenPasses() {
        ActivityWindow w = new ActivityWindow();
        Counters none = new Counters(0, null, 10, 1, 0, 0);
        Counters one = new Counters(0, null, 10, 1, 0, 1);
        NodeSample s = Samples.standby(N1, AT, Lsn.ZERO, 0);
        assertTrue(ActivityChecks.evaluate(s.withCounters(none), t, w).isEmpty(), "nothing to compare with yet");
        Instant at = AT;
        int failing = 0;
        for (int i = 1; i <= 20 * 12; i++) { // 20 minutes of 5 s probes, the deadlock at the first
            at = AT.plusSeconds(5L * i);
            NodeSample later =
                    NodeSample.up(N1, at, Role.STANDBY, null, Lsn.ZERO, 170000).withCounters(one);
            if (find(ActivityChecks.evaluate(later, t, w), CheckNames.DEADLOCKS).failing()) {
                failing++;
            }
        }
        assertEquals(Duration.ofMinutes(15).toSeconds() / 5, failing);
    }

    @Test
    void resetStatisticsRestartTheWindowInsteadOfLookingNegative() {
        ActivityWindow w = new ActivityWindow();
        w.add(AT, new Counters(5, null, 10, 10, 100, 3), Duration.ofMinutes(15));
        assertEquals(null, w.add(AT.plusSeconds(5), new Counters(0, null, 0, 0, 0, 0), Duration.ofMinutes(15)));
    }

    @Test
    void sslOffAndATrustRuleFailWhilePgopsOwnSuperuserSessionIsAllowed() {
        Thresholds withPgops = security(true, Set.of("pgops"));
        NodeSample s = Samples.standby(N1, AT, Lsn.ZERO, 0)
                .withSecurity(new Security(
                        false,
                        "md5",
                        List.of("line 99: host all all 0.0.0.0/0.0.0.0 trust"),
                        List.of("pgops@10.0.0.9", "postgres@10.0.0.7")));
        List<CheckResult> r = SecurityChecks.evaluate(s, withPgops);
        assertTrue(find(r, CheckNames.SSL).failing());
        assertTrue(find(r, CheckNames.HBA_RULES).evidence().contains("line 99"));
        assertTrue(find(r, CheckNames.PASSWORD_ENCRYPTION).failing());
        CheckResult su = find(r, CheckNames.SUPERUSER_NETWORK_LOGINS);
        assertEquals(1, su.measured());
        assertEquals("superuser sessions from the network: postgres@10.0.0.7", su.evidence());
        assertTrue(find(r, CheckNames.PGAUDIT).failing(), "pgaudit required and not loaded");
    }

    @Test
    void md5RulesForNetworkClientsFailAndPgauditPassesOnlyWhenItLogsSomething() {
        Thresholds pgauditRequired = withPgaudit(true);
        NodeSample weak = Samples.standby(N1, AT, Lsn.ZERO, 0)
                .withSecurity(new Security(
                        true,
                        "scram-sha-256",
                        List.of(),
                        List.of(),
                        List.of("line 7: host all all 10.0.0.0/255.0.0.0 md5"),
                        true,
                        "none"));
        List<CheckResult> r = SecurityChecks.evaluate(weak, pgauditRequired);
        CheckResult methods = find(r, CheckNames.HBA_METHODS);
        assertTrue(methods.failing());
        assertTrue(methods.evidence().contains("line 7"), methods.evidence());
        CheckResult audit = find(r, CheckNames.PGAUDIT);
        assertTrue(audit.failing(), "loaded but pgaudit.log = none logs nothing");
        assertTrue(audit.evidence().contains("logs nothing"), audit.evidence());

        NodeSample good = Samples.standby(N1, AT, Lsn.ZERO, 0)
                .withSecurity(new Security(true, "scram-sha-256", List.of(), List.of(), List.of(), true, "ddl,role"));
        List<CheckResult> ok = SecurityChecks.evaluate(good, pgauditRequired);
        assertTrue(!find(ok, CheckNames.HBA_METHODS).failing());
        assertTrue(!find(ok, CheckNames.PGAUDIT).failing());
        assertTrue(
                SecurityChecks.evaluate(weak, withPgaudit(false)).stream()
                        .noneMatch(c -> c.check().equals(CheckNames.PGAUDIT)),
                "no pgaudit check unless it is required");
    }

    private Thresholds withPgaudit(boolean required) {
        return security(required, t.networkSuperusers());
    }

    /** The default thresholds with ssl required and these security settings. */
    private Thresholds security(boolean pgauditRequired, Set<String> networkSuperusers) {
        return new Thresholds(
                t.debounce(),
                t.lagBytes(),
                t.lagTime(),
                t.slotRetainedWalBytes(),
                t.inactiveSlots(),
                t.longQueryAge(),
                t.longQueryCount(),
                t.idleInTransactionAge(),
                t.blockedAge(),
                t.blockedSessions(),
                t.connectionsWarning(),
                t.connectionsCritical(),
                t.xidAge(),
                t.multixactAge(),
                t.activityWindow(),
                t.archiveFailures(),
                t.checkpointsRequestedRatio(),
                t.tempBytes(),
                t.deadlocks(),
                true,
                pgauditRequired,
                networkSuperusers,
                t.topologySettle(),
                t.backupMaxAge());
    }
}
