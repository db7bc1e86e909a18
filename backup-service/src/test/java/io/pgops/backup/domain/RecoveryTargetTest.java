package io.pgops.backup.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.model.Lsn;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecoveryTargetTest {
    @Test
    void noTargetMeansTheEndOfTheArchive() {
        RecoveryTarget t = RecoveryTarget.of(null, null, null, null);
        assertInstanceOf(RecoveryTarget.Latest.class, t);
        assertEquals(Map.of(), t.settings(true));
    }

    @Test
    void aTimeWithItsZoneBecomesAUtcTimestampForPostgres() {
        RecoveryTarget t = RecoveryTarget.of("2026-12-06T18:04:05.25+01:00", null, null, null);
        assertEquals(new RecoveryTarget.AtTime(Instant.parse("2026-12-06T17:04:05.250Z")), t);
        assertEquals(
                Map.of("recovery_target_time", "2026-12-06 17:04:05.250000+00", "recovery_target_inclusive", "off"),
                t.settings(false));
        assertEquals(t, RecoveryTarget.of("2026-12-06 17:04:05.25+00", null, null, null), "PostgreSQL's own form");
    }

    @Test
    void aTimeWithoutAZoneIsRefusedWithTheFormExpected() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> RecoveryTarget.of("2026-12-06 17:04:05", null, null, null));
        assertTrue(e.getMessage().contains("2026-12-06T17:04:05Z"), e.getMessage());
    }

    @Test
    void anLsnTargetIsInclusiveWhenAsked() {
        RecoveryTarget t = RecoveryTarget.of(null, "0/3000A38", null, null);
        assertEquals(new RecoveryTarget.AtLsn(Lsn.parse("0/3000A38")), t);
        assertEquals("on", t.settings(true).get("recovery_target_inclusive"));
        assertThrows(IllegalArgumentException.class, () -> RecoveryTarget.of(null, "3000A38", null, null));
    }

    @Test
    void aTransactionIdMustBeANormalOne() {
        assertEquals(new RecoveryTarget.AtXid(742), RecoveryTarget.of(null, null, "742", null));
        assertThrows(IllegalArgumentException.class, () -> RecoveryTarget.of(null, null, "2", null));
        assertThrows(IllegalArgumentException.class, () -> RecoveryTarget.of(null, null, "7x", null));
    }

    @Test
    void aRestorePointNameOfPrintableAsciiUpTo63CharactersIsTaken() {
        assertEquals(
                Map.of("recovery_target_name", "before-migration 42"),
                RecoveryTarget.of(null, null, null, "before-migration 42").settings(true));
        assertThrows(IllegalArgumentException.class, () -> RecoveryTarget.of(null, null, null, "x".repeat(64)));
        assertThrows(IllegalArgumentException.class, () -> RecoveryTarget.of(null, null, null, "a\nb"));
    }

    @Test
    void twoTargetsAtOnceAreRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> RecoveryTarget.of("2026-12-06T17:04:05Z", "0/1", null, null));
        assertTrue(e.getMessage().contains("one recovery target"), e.getMessage());
    }
}
