package io.pgops.audit.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class IncidentStateTest {
    static String t(String name) {
        String family = name.startsWith("backup") ? "backup" : "replication";
        return "io.pgops." + family + "." + name + ".v1";
    }

    @Test
    void aFailoverThatCompletedIsClosed() {
        IncidentState.State s = IncidentState.of(List.of(
                "io.pgops.health.primary-unreachable.v1",
                t("failover-started"),
                t("node-fenced"),
                t("node-promoted"),
                t("failover-completed")));
        assertFalse(s.open());
        assertNull(s.waitingFor());
    }

    @Test
    void aFailoverStillRunningIsOpenAndSaysWhatItWaitsFor() {
        IncidentState.State s = IncidentState.of(
                List.of("io.pgops.health.primary-unreachable.v1", t("failover-started"), t("node-fenced")));
        assertTrue(s.open());
        assertEquals("failover-started: waiting for failover-completed or failover-refused", s.waitingFor());
    }

    @Test
    void aRefusedFailoverIsClosed() {
        assertFalse(IncidentState.of(List.of(t("failover-started"), t("failover-refused")))
                .open());
    }

    @Test
    void aBackupRequestedAndStartedButNotFinishedIsOpenAndClosedByItsFailureToo() {
        assertTrue(IncidentState.of(List.of(t("backup-requested"), t("backup-started")))
                .open());
        assertFalse(IncidentState.of(List.of(t("backup-requested"), t("backup-started"), t("backup-failed")))
                .open());
    }

    @Test
    void aBreachOpensUntilItsRecovery() {
        assertTrue(IncidentState.of(List.of("io.pgops.health.health-check-failed.v1"))
                .open());
        assertFalse(IncidentState.of(
                        List.of("io.pgops.health.health-check-failed.v1", "io.pgops.health.health-check-recovered.v1"))
                .open());
    }

    @Test
    void aFindingOrARefusalAloneOpensNothing() {
        assertFalse(IncidentState.of(List.of(t("wal-archive-gap-detected")).stream()
                        .map(x -> x.replace("replication", "backup"))
                        .toList())
                .open());
        assertFalse(IncidentState.of(List.of(t("agent-command-refused"))).open());
        assertFalse(IncidentState.of(List.of()).open());
    }

    @Test
    void aClosingEventBeforeItsOpeningOneClosesNothing() {
        assertTrue(IncidentState.of(List.of(t("failover-completed"), t("failover-started")))
                .open());
    }
}
