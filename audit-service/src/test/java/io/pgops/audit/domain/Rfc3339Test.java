package io.pgops.audit.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Rfc3339Test {
    @Test
    void readsWhatInstantToStringWritesAndGivesTheSameTextBack() {
        Random random = new Random(20261203);
        for (int i = 0; i < 100_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(-62_135_596_800L, 253_402_300_799L), nanos(random));
            String text = t.toString();
            assertNotNull(Rfc3339.fast(text), text);
            Rfc3339.Time read = Rfc3339.read(text);
            assertEquals(t, read.instant(), text);
            assertEquals(text, read.text(), text);
        }
    }

    @Test
    void agreesWithOffsetDateTimeParseOnOtherFormsAndOnInvalidValues() {
        for (String text : List.of(
                "2026-11-25T02:15:00.250000Z",
                "2026-11-25T02:15:00.000Z",
                "2026-11-25T02:15:00.1Z",
                "2026-11-25T02:15:00.123456789Z",
                "2026-11-25T02:15Z",
                "2026-11-25t02:15:00Z",
                "2026-11-25T02:15:00z",
                "2026-11-25T03:15:00+01:00",
                "2026-11-25T02:15:00-00:00",
                "0000-01-01T00:00:00Z",
                "2024-02-29T23:59:59Z",
                "2026-02-29T00:00:00Z",
                "2026-13-01T00:00:00Z",
                "2026-11-31T00:00:00Z",
                "2026-11-25T24:00:00Z",
                "2026-11-25T23:60:00Z",
                "2026-11-25T23:59:60Z",
                "2026-11-25T02:15:00.Z",
                "2026-11-25T02:15:00.1234567890Z",
                "2026-11-25 02:15:00Z",
                "2026-11-25T02:15:00",
                "+12026-11-25T02:15:00Z",
                "2026-1a-25T02:15:00Z",
                "yesterday")) {
            Instant expected;
            try {
                expected = OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeException e) {
                assertThrows(DateTimeException.class, () -> Rfc3339.read(text), text);
                assertNull(Rfc3339.fast(text), text);
                continue;
            }
            Rfc3339.Time read = Rfc3339.read(text);
            assertEquals(expected, read.instant(), text);
            assertEquals(expected.toString(), read.text(), text);
            assertEquals(expected, Rfc3339.parse(text), text);
        }
    }

    private static int nanos(Random random) {
        int n = random.nextInt(1_000_000_000);
        return switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> n / 1_000_000 * 1_000_000;
            case 2 -> (int) ChronoUnit.MICROS.getDuration().toNanos() * (n / 1000);
            default -> n;
        };
    }
}
