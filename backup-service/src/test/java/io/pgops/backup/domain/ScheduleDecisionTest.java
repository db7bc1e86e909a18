package io.pgops.backup.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.backup.domain.ScheduleDecision.Action;
import io.pgops.backup.domain.ScheduleDecision.Decision;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScheduleDecisionTest {
    private static final Instant T = Instant.parse("2026-12-06T10:00:00Z");

    /** Every day at 02:00 UTC, as a cron expression would say it. */
    private static final Recurrence DAILY_AT_TWO = new Recurrence() {
        @Override
        public Optional<Instant> nextAfter(Instant t) {
            Instant today = t.atZone(ZoneOffset.UTC)
                    .toLocalDate()
                    .atTime(LocalTime.of(2, 0))
                    .toInstant(ZoneOffset.UTC);
            return Optional.of(today.isAfter(t) ? today : today.plus(1, ChronoUnit.DAYS));
        }

        @Override
        public String describe() {
            return "daily at 02:00 UTC";
        }
    };

    private static Decision decide(Recurrence r, Instant last, Instant now) {
        return ScheduleDecision.decide("full backup of it", r, last, now, Optional.empty());
    }

    @Test
    void waitsUntilTheIntervalHasPassedSinceTheLastRun() {
        Decision d = decide(Recurrence.every(Duration.ofHours(6)), T, T.plusSeconds(3600));
        assertEquals(Action.WAIT, d.action(), d.reason());
        assertEquals(Optional.of(T.plus(6, ChronoUnit.HOURS)), d.due());
        assertTrue(d.reason().contains("next due at 2026-12-06T16:00:00Z"), d.reason());
    }

    @Test
    void runsOnceTheIntervalHasPassed() {
        Decision d = decide(Recurrence.every(Duration.ofHours(6)), T, T.plus(6, ChronoUnit.HOURS));
        assertEquals(Action.RUN, d.action(), d.reason());
    }

    @Test
    void runsAtTheCronTimeAndNotBefore() {
        Instant lastNight = Instant.parse("2026-12-06T02:00:00Z");
        assertEquals(
                Action.WAIT,
                decide(DAILY_AT_TWO, lastNight, Instant.parse("2026-12-07T01:59:59Z"))
                        .action());
        Decision d = decide(DAILY_AT_TWO, lastNight, Instant.parse("2026-12-07T02:00:00Z"));
        assertEquals(Action.RUN, d.action(), d.reason());
        assertEquals("full backup of it due at 2026-12-07T02:00:00Z (daily at 02:00 UTC)", d.reason());
    }

    @Test
    void catchesUpMissedRunsOnceAtOnceAfterADownTime() {
        // the newest backup is three days old: the service was down over two 02:00s
        Decision d = decide(DAILY_AT_TWO, Instant.parse("2026-12-03T02:00:05Z"), T);
        assertEquals(Action.RUN, d.action(), d.reason());
        assertTrue(d.reason().contains("caught up by this one"), d.reason());
        // remembered as run now, it waits for the next 02:00
        assertEquals(Action.WAIT, decide(DAILY_AT_TWO, T, T.plusSeconds(60)).action());
    }

    @Test
    void doesNotRepeatTodaysRunAfterARestartWhenTodaysBackupExists() {
        Instant todaysBackup = Instant.parse("2026-12-06T02:00:03Z");
        Decision d = decide(DAILY_AT_TWO, todaysBackup, T);
        assertEquals(Action.WAIT, d.action(), d.reason());
        assertEquals(Optional.of(Instant.parse("2026-12-07T02:00:00Z")), d.due());
    }

    @Test
    void skipsARunThatComesDueWhileABackupOfTheClusterIsStillRunning() {
        Decision d = ScheduleDecision.decide(
                "full backup of it",
                Recurrence.every(Duration.ofHours(1)),
                T,
                T.plus(1, ChronoUnit.HOURS),
                Optional.of("backup 20261206T100000.000Z-node2 is still running"));
        assertEquals(Action.SKIP, d.action());
        assertTrue(d.reason().endsWith("skipped: backup 20261206T100000.000Z-node2 is still running"), d.reason());
    }

    @Test
    void waitsForeverWhenTheScheduleNeverComesDueAgain() {
        Recurrence never = new Recurrence() {
            @Override
            public Optional<Instant> nextAfter(Instant t) {
                return Optional.empty();
            }

            @Override
            public String describe() {
                return "cron '0 0 0 1 1 ? 2020' UTC";
            }
        };
        Decision d = decide(never, T, T.plusSeconds(1));
        assertEquals(Action.WAIT, d.action());
        assertTrue(d.reason().contains("never comes due again"), d.reason());
    }

    @Test
    void refusesAnIntervalShorterThanOneSecond() {
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> Recurrence.every(Duration.ofMillis(10)));
    }
}
