package io.pgops.maintenance.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionTriageTest {
    static final Instant NOW = Instant.parse("2026-12-07T03:00:00Z");
    static final Instant START = NOW.minusSeconds(3600);

    static BackendSession session(int pid, String type, String user, String app, String state, long secondsInState) {
        return new BackendSession(
                pid,
                type,
                "shop",
                user,
                app,
                "10.0.0.5",
                state,
                false,
                false,
                START,
                NOW.minusSeconds(secondsInState),
                NOW.minusSeconds(secondsInState),
                "SELECT 1");
    }

    static BackendSession client(int pid, String state, long seconds) {
        return session(pid, "client backend", "shop_app", "api", state, seconds);
    }

    static EmergencyCriteria criteria(EmergencyAction action, long seconds) {
        return new EmergencyCriteria(action, Duration.ofSeconds(seconds), null, null, null, Set.of());
    }

    static List<Integer> pids(SessionTriage.Triage t) {
        return t.hits().stream().map(h -> h.session().pid()).toList();
    }

    @Test
    void terminatesOnlySessionsIdleLongerThanTheThresholdOldestFirst() {
        var t = SessionTriage.triage(
                criteria(EmergencyAction.TERMINATE_IDLE, 300),
                List.of(
                        client(1, "idle", 301),
                        client(2, "idle", 300),
                        client(3, "idle", 900),
                        client(4, "active", 999)),
                NOW,
                "pgops");
        assertEquals(List.of(3, 1), pids(t));
        assertEquals("idle for 900 s (longer than 300 s)", t.hits().getFirst().reason());
    }

    @Test
    void idleInTransactionIncludesAbortedTransactions() {
        var t = SessionTriage.triage(
                criteria(EmergencyAction.TERMINATE_IDLE_IN_TRANSACTION, 60),
                List.of(
                        client(1, "idle in transaction", 61),
                        client(2, "idle in transaction (aborted)", 120),
                        client(3, "idle", 500)),
                NOW,
                "pgops");
        assertEquals(List.of(2, 1), pids(t));
    }

    @Test
    void cancelsQueriesRunningLongerThanTheThresholdByTheirStart() {
        var t = SessionTriage.triage(
                criteria(EmergencyAction.CANCEL_LONG_QUERIES, 30),
                List.of(client(1, "active", 31), client(2, "active", 5), client(3, "idle", 500)),
                NOW,
                "pgops");
        assertEquals(List.of(1), pids(t));
    }

    @Test
    void sparesReplicationAutovacuumPgopsOwnAndTheAskingConnection() {
        BackendSession asking = new BackendSession(
                9, "client backend", "shop", "x", "psql", "local", "active", false, true, START, START, START, "q");
        var t = SessionTriage.triage(
                criteria(EmergencyAction.CANCEL_LONG_QUERIES, 10),
                List.of(
                        session(1, "walsender", "replicator", "node2", "active", 3000),
                        session(2, "autovacuum worker", null, "", "active", 3000),
                        session(3, "client backend", "pgops", "psql", "active", 3000),
                        session(4, "client backend", "shop_app", "pgops-health", "active", 3000),
                        session(5, "background worker", null, "", "active", 3000),
                        asking,
                        client(6, "active", 3000)),
                NOW,
                "pgops");
        assertEquals(List.of(6), pids(t));
        assertEquals(
                List.of(
                        new SessionTriage.Spared("replication connection (walsender)", List.of(1)),
                        new SessionTriage.Spared("autovacuum worker", List.of(2)),
                        new SessionTriage.Spared("pgops' own session", List.of(3, 4)),
                        new SessionTriage.Spared("background process (background worker)", List.of(5)),
                        new SessionTriage.Spared("the connection pgops asks with", List.of(9))),
                t.spared());
    }

    @Test
    void sparesSuperusersUnlessNamed() {
        BackendSession su = new BackendSession(
                7, "client backend", "shop", "dba", "psql", "local", "idle", true, false, START, START, START, "q");
        var spared = SessionTriage.triage(criteria(EmergencyAction.TERMINATE_IDLE, 10), List.of(su), NOW, "pgops");
        assertEquals(List.of(), pids(spared));
        assertTrue(spared.spared().getFirst().reason().startsWith("superuser dba"));
        var named = SessionTriage.triage(
                new EmergencyCriteria(
                        EmergencyAction.TERMINATE_IDLE, Duration.ofSeconds(10), null, null, null, Set.of("dba")),
                List.of(su),
                NOW,
                "pgops");
        assertEquals(List.of(7), pids(named));
    }

    @Test
    void filtersNarrowByDatabaseUserAndApplication() {
        List<BackendSession> all = List.of(
                session(1, "client backend", "shop_app", "api", "idle", 100),
                session(2, "client backend", "shop_app", "batch", "idle", 100),
                session(3, "client backend", "report", "api", "idle", 100));
        var byApp = SessionTriage.triage(
                new EmergencyCriteria(
                        EmergencyAction.TERMINATE_IDLE, Duration.ofSeconds(10), "shop", "shop_app", "api", null),
                all,
                NOW,
                "pgops");
        assertEquals(List.of(1), pids(byApp));
        var otherDb = SessionTriage.triage(
                new EmergencyCriteria(
                        EmergencyAction.TERMINATE_IDLE, Duration.ofSeconds(10), "billing", null, null, null),
                all,
                NOW,
                "pgops");
        assertEquals(List.of(), pids(otherDb));
    }

    @Test
    void aConfirmedActionHitsOnlySessionsOfItsDryRunThatStillQualify() {
        EmergencyCriteria c = criteria(EmergencyAction.TERMINATE_IDLE, 60);
        var dry = SessionTriage.triage(
                c, List.of(client(1, "idle", 100), client(2, "idle", 100), client(3, "idle", 100)), NOW, "pgops");
        Set<BackendSession.Key> seen =
                Set.copyOf(dry.hits().stream().map(h -> h.session().key()).toList());
        // meanwhile: 1 still idle, 2 became active, 3 ended and its pid went to a new session, 4 is new
        BackendSession reused = new BackendSession(
                3,
                "client backend",
                "shop",
                "shop_app",
                "api",
                "x",
                "idle",
                false,
                false,
                NOW.minusSeconds(200),
                NOW.minusSeconds(100),
                null,
                "q");
        List<BackendSession> current =
                List.of(client(1, "idle", 130), client(2, "active", 1), reused, client(4, "idle", 500));
        var confirmed =
                SessionTriage.confirm(SessionTriage.triage(c, current, NOW.plusSeconds(30), "pgops"), seen, current);
        assertEquals(
                List.of(1),
                confirmed.hits().stream().map(h -> h.session().pid()).toList());
        assertEquals(
                List.of(2, 3),
                confirmed.missed().stream().map(m -> m.session().pid()).toList());
        assertTrue(confirmed.missed().get(0).reason().startsWith("changed since the dry run"));
        assertTrue(confirmed.missed().get(1).reason().startsWith("gone since the dry run"));
    }

    @Test
    void refusesAThresholdOfZero() {
        assertThrows(IllegalArgumentException.class, () -> criteria(EmergencyAction.TERMINATE_IDLE, 0));
    }
}
