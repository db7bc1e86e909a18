package io.pgops.backup.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecurrencesTest {
    private static final Instant T = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void aCronExpressionComesDueAtItsNextFireTimeInUtc() {
        var daily = Recurrences.parse("0 0 2 * * ?").orElseThrow();
        assertEquals(Optional.of(Instant.parse("2026-12-07T02:00:00Z")), daily.nextAfter(T));
        var sundays = Recurrences.parse("0 0 4 ? * SUN").orElseThrow();
        assertEquals(Optional.of(Instant.parse("2026-12-13T04:00:00Z")), sundays.nextAfter(T));
    }

    @Test
    void anIntervalComesDueThatLongAfterTheLastRun() {
        assertEquals(
                Optional.of(T.plusSeconds(6 * 3600)),
                Recurrences.parse("6h").orElseThrow().nextAfter(T));
        assertEquals(
                Optional.of(T.plusSeconds(1800)),
                Recurrences.parse("PT30M").orElseThrow().nextAfter(T));
    }

    @Test
    void offMeansNoSchedule() {
        assertEquals(Optional.empty(), Recurrences.parse("off"));
        assertEquals(Optional.empty(), Recurrences.parse(" "));
    }

    @Test
    void refusesWhatIsNeitherACronExpressionNorAnInterval() {
        var e = assertThrows(IllegalArgumentException.class, () -> Recurrences.parse("0 0 25 * * ?"));
        assertTrue(e.getMessage().contains("not a Quartz cron expression"), e.getMessage());
        var f = assertThrows(IllegalArgumentException.class, () -> Recurrences.parse("daily"));
        assertTrue(f.getMessage().contains("neither a Quartz cron expression"), f.getMessage());
    }
}
