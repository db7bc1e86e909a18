package io.pgops.maintenance.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PreMigrationBackupTest {
    static final Instant T0 = Instant.parse("2026-12-06T23:00:00Z");

    @Test
    void appliesOnceTheSchemaOnlyDumpIsStored() {
        PreMigrationBackup.Decision d = PreMigrationBackup.completed(MigrationState.BACKING_UP, "logical", "b1");
        assertEquals(PreMigrationBackup.Action.APPLY, d.action());
        assertEquals("pre-migration schema-only dump b1 stored and verified", d.reason());
    }

    @Test
    void ignoresAPhysicalBackupUnderTheSameCorrelation() {
        assertEquals(
                PreMigrationBackup.Action.IGNORE,
                PreMigrationBackup.completed(MigrationState.BACKING_UP, "physical", "b1")
                        .action());
    }

    @Test
    void ignoresAReplayedOrLateDumpOfAMigrationNoLongerWaiting() {
        for (MigrationState s :
                new MigrationState[] {MigrationState.APPLYING, MigrationState.APPLIED, MigrationState.FAILED}) {
            assertEquals(
                    PreMigrationBackup.Action.IGNORE,
                    PreMigrationBackup.completed(s, "logical", "b1").action());
        }
    }

    @Test
    void failsWithoutRunningAnythingWhenTheDumpFailed() {
        PreMigrationBackup.Decision d =
                PreMigrationBackup.failed(MigrationState.BACKING_UP, "copy", "pg_dump: error: connection refused");
        assertEquals(PreMigrationBackup.Action.FAIL, d.action());
        assertEquals(
                "pre-migration backup failed at copy: pg_dump: error: connection refused; nothing was run", d.reason());
    }

    @Test
    void failsWhenTheDumpDidNotCompleteWithinTheDeadline() {
        Duration timeout = Duration.ofSeconds(600);
        assertEquals(
                PreMigrationBackup.Action.IGNORE,
                PreMigrationBackup.atDeadline(MigrationState.BACKING_UP, T0, T0.plusSeconds(599), timeout)
                        .action());
        PreMigrationBackup.Decision d =
                PreMigrationBackup.atDeadline(MigrationState.BACKING_UP, T0, T0.plusSeconds(600), timeout);
        assertEquals(PreMigrationBackup.Action.FAIL, d.action());
        assertEquals("pre-migration backup did not complete in 600 s; nothing was run", d.reason());
        assertEquals(
                PreMigrationBackup.Action.IGNORE,
                PreMigrationBackup.atDeadline(MigrationState.APPLIED, T0, T0.plusSeconds(601), timeout)
                        .action());
    }

    @Test
    void statesHaveHyphenatedWireCodes() {
        assertEquals("backing-up", MigrationState.BACKING_UP.code());
    }
}
