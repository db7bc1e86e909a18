package io.pgops.backup.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Timeline;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RestorePlanTest {
    static final String WAL = "/var/tmp/pgops/backups/main/wal";
    static final long SIZE = WalSegment.DEFAULT_SIZE;

    static CatalogueEntry backup(String id, String stop, String completed, Verification v) {
        return new CatalogueEntry(
                BackupId.of(id),
                ClusterId.of("main"),
                NodeName.of("node1"),
                "127.0.0.1:5432",
                Lsn.parse("0/2000028"),
                Lsn.parse(stop),
                Timeline.of(1),
                100,
                50,
                1000,
                "zstd",
                "server-side",
                List.of("base.tar.zst", "pg_wal.tar", "backup_manifest"),
                Instant.parse(completed).minusSeconds(1),
                Instant.parse(completed),
                v);
    }

    static final CatalogueEntry MONDAY = backup("20261207T020000000Z-node1", "0/3000100", "2026-12-07T02:00:01Z", null);
    static final CatalogueEntry TUESDAY =
            backup("20261208T020000000Z-node1", "0/9000100", "2026-12-08T02:00:01Z", null);
    static final Verification BAD = new Verification(
            Verification.FAILED, "manifest", "base/5/1259 does not match", "base/5/1259", 0, 0, 0, Map.of(), null);

    static RestorePlan plan(Optional<String> id, RecoveryTarget t, CatalogueEntry... entries) {
        return RestorePlan.decide(List.of(entries), id, t, false, WAL, SIZE);
    }

    @Test
    void aTargetTimeStartsFromTheNewestBackupCompletedBeforeIt() {
        RestorePlan p = plan(
                Optional.empty(), new RecoveryTarget.AtTime(Instant.parse("2026-12-07T12:00:00Z")), MONDAY, TUESDAY);
        assertEquals(MONDAY, p.backup());
        assertTrue(p.reason().contains("completed before 2026-12-07T12:00:00Z"), p.reason());
        assertEquals("2026-12-07 12:00:00.000000+00", p.settings().get("recovery_target_time"));
        assertEquals("latest", p.settings().get("recovery_target_timeline"));
        assertEquals("promote", p.settings().get("recovery_target_action"));
        assertEquals("off", p.settings().get("recovery_target_inclusive"));
    }

    @Test
    void aTargetLsnStartsFromTheNewestBackupConsistentBeforeIt() {
        assertEquals(
                TUESDAY,
                plan(Optional.empty(), new RecoveryTarget.AtLsn(Lsn.parse("0/A000000")), MONDAY, TUESDAY)
                        .backup());
        assertEquals(
                MONDAY,
                plan(Optional.empty(), new RecoveryTarget.AtLsn(Lsn.parse("0/5000000")), MONDAY, TUESDAY)
                        .backup());
    }

    @Test
    void aTargetBeforeTheOldestBackupIsRefusedSayingWhenTheOldestEnds() {
        RestorePlan.NoBackup e = assertThrows(
                RestorePlan.NoBackup.class,
                () -> plan(Optional.empty(), new RecoveryTarget.AtLsn(Lsn.parse("0/1000000")), MONDAY, TUESDAY));
        assertTrue(
                e.getMessage().contains(MONDAY.id().value()) && e.getMessage().contains("0/3000100"), e.getMessage());
    }

    @Test
    void aBackupThatFailedVerificationIsNeverChosen() {
        CatalogueEntry badTuesday = TUESDAY.withVerification(BAD);
        assertEquals(
                MONDAY,
                plan(Optional.empty(), new RecoveryTarget.Latest(), MONDAY, badTuesday)
                        .backup());
        RestorePlan.NoBackup e = assertThrows(
                RestorePlan.NoBackup.class,
                () -> plan(Optional.of(TUESDAY.id().value()), new RecoveryTarget.Latest(), MONDAY, badTuesday));
        assertTrue(e.getMessage().contains("failed its verification"), e.getMessage());
    }

    @Test
    void aNamedBackupThatEndsAfterTheTargetIsRefused() {
        RestorePlan.NoBackup e = assertThrows(
                RestorePlan.NoBackup.class,
                () -> plan(
                        Optional.of(TUESDAY.id().value()),
                        new RecoveryTarget.AtLsn(Lsn.parse("0/5000000")),
                        MONDAY,
                        TUESDAY));
        assertTrue(e.getMessage().contains("after the target LSN"), e.getMessage());
        assertThrows(
                RestorePlan.NoBackup.class,
                () -> plan(Optional.of("20261201T020000000Z-node1"), new RecoveryTarget.Latest(), MONDAY));
    }

    @Test
    void anEmptyCatalogueHasNothingToRestore() {
        assertThrows(RestorePlan.NoBackup.class, () -> plan(Optional.empty(), new RecoveryTarget.Latest()));
    }

    @Test
    void theRestoreCommandReadsPlainCompressedAndPartialSegmentsAndFailsForMissingOnes() {
        String cmd = plan(Optional.empty(), new RecoveryTarget.Latest(), MONDAY)
                .settings()
                .get("restore_command");
        assertTrue(cmd.startsWith("d=" + WAL + "/%f; if [ -f $d ]; then cp $d %p;"), cmd);
        assertTrue(cmd.contains("lz4 -d -q -c $d.lz4 > %p"), cmd);
        assertTrue(cmd.contains("truncate -s 16777216 %p"), cmd);
        assertTrue(cmd.endsWith("else exit 1; fi"), cmd);
    }

    @Test
    void anArchivePathThatCouldBreakTheShellCommandIsRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> RestorePlan.decide(
                        List.of(MONDAY), Optional.empty(), new RecoveryTarget.Latest(), false, "/tmp/a b;rm", SIZE));
        assertThrows(
                IllegalArgumentException.class,
                () -> RestorePlan.decide(
                        List.of(MONDAY), Optional.empty(), new RecoveryTarget.Latest(), false, "relative/wal", SIZE));
    }

    @Test
    void aRestorePointNameWithAQuoteIsWrittenQuotedForPostgres() {
        RestorePlan p = plan(Optional.empty(), new RecoveryTarget.AtName("it's done"), MONDAY);
        assertTrue(
                p.confLines().contains("recovery_target_name = 'it''s done'"),
                p.confLines().toString());
        assertTrue(p.reason().contains("--id"), p.reason());
    }
}
