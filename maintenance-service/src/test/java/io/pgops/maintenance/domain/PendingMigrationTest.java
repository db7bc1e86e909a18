package io.pgops.maintenance.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pgops.maintenance.domain.PendingMigration.Action;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PendingMigrationTest {
    static final Instant REQUESTED = Instant.parse("2026-12-07T10:00:00Z");
    static final Duration TIMEOUT = Duration.ofMinutes(10);

    static Action decide(boolean held, boolean done, String state, String ledger, Instant now) {
        return PendingMigration.decide(held, done, state, ledger, "abc", REQUESTED, now, TIMEOUT)
                .action();
    }

    @Test
    void aMigrationHeldHereIsOnlyTouchedAndItsRowRemovedOnceItIsOver() {
        assertEquals(Action.HELD, decide(true, false, "requested", null, REQUESTED));
        assertEquals(Action.REMOVE, decide(true, true, "applying", null, REQUESTED));
    }

    @Test
    void aMigrationLeftWaitingForItsDumpIsResumedWithinItsDeadlineAndFailedAfter() {
        assertEquals(Action.RESUME, decide(false, false, "requested", null, REQUESTED.plusSeconds(60)));
        assertEquals(Action.RESUME, decide(false, false, "backing-up", null, REQUESTED.plusSeconds(599)));
        assertEquals(Action.FAIL, decide(false, false, "requested", null, REQUESTED.plus(TIMEOUT)));
    }

    @Test
    void aScriptInterruptedByItsInstancesStopFailsUnlessTheLedgerHasItWithItsChecksum() {
        assertEquals(Action.FAIL, decide(false, false, "applying", null, REQUESTED.plusSeconds(5)));
        assertEquals(
                Action.FAIL,
                decide(false, false, "applying", "another", REQUESTED.plusSeconds(5)),
                "the version applied by another script is not this migration");
        assertEquals(Action.APPLIED, decide(false, false, "applying", "abc", REQUESTED.plus(TIMEOUT)));
    }
}
