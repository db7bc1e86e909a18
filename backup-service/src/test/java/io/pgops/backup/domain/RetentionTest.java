package io.pgops.backup.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Timeline;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Retention's rules, one outcome each. The catalogue: one backup a day at 02:00 on December 1..10 (d1..d10); "now"
 * is December 10, 12:00. Unless a test says otherwise every backup is verified.
 */
class RetentionTest {
    private static final Instant NOW = Instant.parse("2026-12-10T12:00:00Z");

    private static CatalogueEntry day(int d, String state) {
        Instant completed = Instant.parse(String.format("2026-12-%02dT02:00:30Z", d));
        Verification v = new Verification(
                state,
                state.equals(Verification.UNVERIFIED) ? null : "restore",
                state,
                null,
                0,
                0,
                0,
                Map.of(),
                state.equals(Verification.UNVERIFIED) ? null : completed);
        return new CatalogueEntry(
                BackupId.of(String.format("202612%02dT020000000Z-node2", d)),
                ClusterId.of("it"),
                NodeName.of("node2"),
                "127.0.0.1:5432",
                Lsn.of(d * 0x1000000L + 0x28),
                Lsn.of(d * 0x1000000L + 0x100),
                Timeline.of(1),
                100,
                50,
                1000,
                "zstd",
                "server-side",
                List.of("base.tar.zst", "pg_wal.tar", "backup_manifest"),
                completed.minusSeconds(30),
                completed,
                v);
    }

    private static List<CatalogueEntry> tenDays(String state) {
        return java.util.stream.IntStream.rangeClosed(1, 10)
                .mapToObj(d -> day(d, state))
                .toList();
    }

    private static RetentionPolicy policy(Integer last, Integer days) {
        return new RetentionPolicy(
                last == null ? OptionalInt.empty() : OptionalInt.of(last),
                days == null ? OptionalInt.empty() : OptionalInt.of(days));
    }

    /** The days whose backups are kept. */
    private static Set<Integer> kept(List<Retention.Verdict> verdicts) {
        return verdicts.stream()
                .filter(Retention.Verdict::keep)
                .map(v -> Integer.parseInt(v.backup().id().value().substring(6, 8)))
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    private static String reasonFor(List<Retention.Verdict> verdicts, int d) {
        return verdicts.stream()
                .filter(v -> v.backup().id().value().startsWith(String.format("202612%02d", d)))
                .findFirst()
                .orElseThrow()
                .reason();
    }

    @Test
    void keepsEveryBackupWhenNoRuleIsSet() {
        var v = Retention.decide(tenDays(Verification.VERIFIED), RetentionPolicy.keepAll(), NOW, Set.of());
        assertEquals(10, kept(v).size());
        assertEquals("no retention rule is set", reasonFor(v, 1));
    }

    @Test
    void keepsTheNewestNAndDeletesTheOlderOnes() {
        var v = Retention.decide(tenDays(Verification.VERIFIED), policy(3, null), NOW, Set.of());
        assertEquals(Set.of(8, 9, 10), kept(v));
        assertEquals("one of the newest 3 backups", reasonFor(v, 8));
        assertEquals("older than the newest 3 backups", reasonFor(v, 7));
        assertEquals(10, v.size(), "a verdict for every backup");
        assertEquals(1, Integer.parseInt(v.getFirst().backup().id().value().substring(6, 8)), "oldest first");
    }

    @Test
    void keepsEveryBackupOfTheWindowAndTheNewestOneBeforeItSoTheWindowsStartCanBeRestored() {
        // the window starts December 7, 12:00: d8, d9, d10 lie in it; d7 (02:00 that day) is where a restore to
        // 12:00 begins
        var v = Retention.decide(tenDays(Verification.VERIFIED), policy(null, 3), NOW, Set.of());
        assertEquals(Set.of(7, 8, 9, 10), kept(v));
        assertEquals("completed within the last 3 days", reasonFor(v, 9));
        assertEquals(
                "the newest backup before the 3-day window: a point-in-time restore to the window's start begins"
                        + " from it",
                reasonFor(v, 7));
        assertEquals("completed before the last 3 days", reasonFor(v, 6));
    }

    @Test
    void keepsABackupThatEitherRuleKeeps() {
        var v = Retention.decide(tenDays(Verification.VERIFIED), policy(5, 2), NOW, Set.of());
        assertEquals(Set.of(6, 7, 8, 9, 10), kept(v));
        assertEquals("older than the newest 5 backups and completed before the last 2 days", reasonFor(v, 5));
        var w = Retention.decide(tenDays(Verification.VERIFIED), policy(1, 4), NOW, Set.of());
        assertEquals(Set.of(6, 7, 8, 9, 10), kept(w));
    }

    @Test
    void keepsTheOnlyVerifiedBackupEvenWhenOlderThanTheWindow() {
        List<CatalogueEntry> backups = new java.util.ArrayList<>(tenDays(Verification.FAILED));
        backups.set(1, day(2, Verification.VERIFIED));
        var v = Retention.decide(backups, policy(2, 1), NOW, Set.of());
        assertEquals(Set.of(2, 9, 10), kept(v));
        assertEquals("the newest verified backup (none of the newer ones is verified)", reasonFor(v, 2));
    }

    @Test
    void keepsTheNewestVerifiedBackupWhenTheNewerOnesAreNotVerifiedYet() {
        List<CatalogueEntry> backups = new java.util.ArrayList<>(tenDays(Verification.VERIFIED));
        backups.set(9, day(10, Verification.UNVERIFIED));
        var v = Retention.decide(backups, policy(1, null), NOW, Set.of());
        assertEquals(Set.of(9, 10), kept(v));
    }

    @Test
    void deletesAnOldVerifiedBackupOnceANewerVerifiedOneIsKept() {
        var v = Retention.decide(tenDays(Verification.VERIFIED), policy(1, null), NOW, Set.of());
        assertEquals(Set.of(10), kept(v));
    }

    @Test
    void keepsABackupAnInProgressRestoreUses() {
        BackupId d3 = day(3, Verification.VERIFIED).id();
        var v = Retention.decide(tenDays(Verification.VERIFIED), policy(2, null), NOW, Set.of(d3));
        assertEquals(Set.of(3, 9, 10), kept(v));
        assertEquals("a restore is using it", reasonFor(v, 3));
    }

    @Test
    void deletesNothingOfAnEmptyCatalogue() {
        assertEquals(List.of(), Retention.decide(List.of(), policy(1, 1), NOW, Set.of()));
    }

    @Test
    void aWindowOfOneDayKeepsTodaysBackupAndYesterdays() {
        var v = Retention.decide(
                tenDays(Verification.VERIFIED), policy(null, 1), NOW.plus(1, ChronoUnit.HOURS), Set.of());
        assertEquals(Set.of(9, 10), kept(v));
    }

    @Test
    void refusesAPolicyThatKeepsNoBackup() {
        assertThrows(IllegalArgumentException.class, () -> policy(0, null));
        assertThrows(IllegalArgumentException.class, () -> policy(null, 0));
        assertEquals(
                "keep the newest 7 backups and every backup of the last 14 days",
                policy(7, 14).describe());
    }
}
