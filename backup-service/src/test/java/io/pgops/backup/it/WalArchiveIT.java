package io.pgops.backup.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgops.backup.cli.CliRunner;
import io.pgops.backup.domain.BackupId;
import io.pgops.backup.domain.CatalogueEntry;
import io.pgops.backup.domain.Compression;
import io.pgops.backup.domain.GapLedger;
import io.pgops.backup.domain.RecoveryTarget;
import io.pgops.backup.domain.RepositoryLayout;
import io.pgops.backup.domain.WalGaps;
import io.pgops.backup.domain.WalSegment;
import io.pgops.backup.service.BackupEngine;
import io.pgops.backup.service.CatalogueJson;
import io.pgops.backup.service.PointInTimeRestore;
import io.pgops.backup.service.Source;
import io.pgops.backup.service.WalReceiver;
import io.pgops.events.backup.WalArchiveGapDetected;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Timeline;
import io.pgops.pgtools.Cmd;
import io.pgops.pgtools.OsUser;
import io.pgops.pgtools.PgBinaries;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.postgres.PgTopology;
import io.pgops.stack.process.Daemons;
import io.pgops.stack.process.Ports;
import io.pgops.stack.testkit.TestStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Continuous WAL archiving and point-in-time restore on real processes: pg_receivewal streams a cluster of its own
 * (so the switchover disturbs no other test) into the repository; a base backup, then batches of rows with the
 * LSN and time noted after each (pg_receivewal killed mid-segment once, so a resumed lz4 segment is restored from); restores to a target LSN and a target time hold exactly the rows committed
 * before; after a switchover the archive follows the new primary onto timeline 2 without a gap; a deleted
 * segment is reported as a gap, once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WalArchiveIT {
    static final ClusterId CLUSTER = ClusterId.of("pitr");
    static final long SIZE = WalSegment.DEFAULT_SIZE;
    static final int BATCHES = 4;
    static final int ROWS = 1000;
    static final Duration ARCHIVED = Deadlines.scaled(60);

    static List<PgNode> nodes;
    static BackupEngine engine;
    static WalReceiver receiver;
    static Path repo;
    static final List<Lsn> lsnAfter = new ArrayList<>();
    static final List<Instant> timeAfter = new ArrayList<>();
    static final List<Path> restored = new ArrayList<>();
    static final String RESTORE_POINT = "before batch 4";
    static long xidOfBatch2;

    @BeforeAll
    static void archivingStreamsFromThePrimary() {
        TestStack stack = TestStack.get();
        nodes = stack.newCluster("pitr");
        repo = stack.dir().resolve("wal-repo");
        engine = new BackupEngine(
                PgBinaries.locate(), OsUser.forPostgres(), new RepositoryLayout(repo), Duration.ofMinutes(5));
        receiver = engine.walReceiver(
                CLUSTER,
                new WalReceiver.Settings(
                        WalReceiver.Settings.slotFor(CLUSTER), "lz4", Duration.ofMillis(200), Duration.ofSeconds(2)));
        receiver.follow(source(nodes.getFirst()));
        PgNode primary = nodes.getFirst();
        await("pg_receivewal to stream from " + primary.name() + " through its slot (log: " + receiver.tail() + ")")
                .atMost(ARCHIVED)
                .until(() -> "t"
                        .equals(primary.sql("SELECT active FROM pg_replication_slots WHERE slot_name = '"
                                + WalReceiver.Settings.slotFor(CLUSTER) + "'")));
    }

    @AfterAll
    static void stopEverythingStarted() {
        for (Path dir : restored) {
            Cmd.of(PgBinaries.locate().tool("pg_ctl"), "-D", dir.toString(), "-m", "immediate", "-w", "stop")
                    .as(OsUser.forPostgres())
                    .timeoutSeconds(60)
                    .tryRun();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    static Source source(PgNode n) {
        TestStack stack = TestStack.get();
        return new Source(
                CLUSTER,
                NodeName.of(n.name()),
                "127.0.0.1",
                n.port(),
                PgTopology.REPLICATION_USER,
                stack.secrets().password(PgTopology.REPLICATION_USER));
    }

    /** Waits until the archive holds the complete segment of {@code lsn} on {@code tl}; how long that took. */
    static Duration awaitArchived(Timeline tl, Lsn lsn) {
        String name = WalSegment.containing(tl, lsn, SIZE).name(SIZE);
        Path wal = engine.layout().wal(CLUSTER);
        long t0 = System.nanoTime();
        await("segment " + name + " complete in " + wal + " (pg_receivewal: " + receiver.tail() + ")")
                .atMost(ARCHIVED)
                .until(() -> Files.exists(wal.resolve(name + ".lz4")) || Files.exists(wal.resolve(name)));
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /**
     * SIGKILL to the receiver's pg_receivewal (a process this test started, found by its command line) while a
     * segment is half written; waits until the supervisor started it again and it streams.
     */
    static void crashTheReceiverMidSegment() {
        String marker = "--directory=" + engine.layout().wal(CLUSTER);
        int before = receiver.status().starts();
        List<ProcessHandle> victims = ProcessHandle.current()
                .descendants()
                .filter(p -> Daemons.cmdline(p.pid())
                        .map(c -> c.contains("pg_receivewal") && c.contains(marker) && !c.startsWith("runuser"))
                        .orElse(false))
                .toList();
        assertEquals(1, victims.size(), "one pg_receivewal of " + marker);
        victims.getFirst().destroyForcibly();
        PgNode primary = nodes.getFirst();
        await("pg_receivewal started again after its crash and streaming (log: " + receiver.tail() + ")")
                .atMost(ARCHIVED)
                .until(() -> receiver.status().starts() > before
                        && "t"
                                .equals(primary.sql("SELECT active FROM pg_replication_slots WHERE slot_name = '"
                                        + WalReceiver.Settings.slotFor(CLUSTER) + "'")));
    }

    static Lsn switchWal(PgNode n) {
        return Lsn.parse(n.sql("SELECT pg_switch_wal()"));
    }

    static String countByBatch(Path dataDir, int port) {
        return RestoredServer.query(
                dataDir,
                port,
                "SELECT string_agg(batch || ':' || n, ',' ORDER BY batch) FROM"
                        + " (SELECT batch, count(*) AS n FROM pitr_rows GROUP BY batch) c");
    }

    static String expected(int batches) {
        List<String> parts = new ArrayList<>();
        for (int b = 1; b <= batches; b++) {
            parts.add(b + ":" + ROWS);
        }
        return String.join(",", parts);
    }

    @Test
    @Order(1)
    void restoresToATargetLsnAndToATargetTimeHoldExactlyTheRowsCommittedBefore() throws Exception {
        PgNode primary = nodes.getFirst();
        primary.sql("CREATE TABLE pitr_rows (batch int, id int)");
        Source s = source(primary);
        CatalogueEntry base =
                engine.take(s, BackupId.at(Instant.now(), s.node()), Compression.ZSTD, true, engine.identify(s));
        Duration lag = Duration.ZERO;
        for (int b = 1; b <= BATCHES; b++) {
            if (b == 4) {
                primary.sql("SELECT pg_create_restore_point('" + RESTORE_POINT + "')");
            }
            String[] at = primary.sql("BEGIN; INSERT INTO pitr_rows SELECT " + b + ", g FROM generate_series(1, " + ROWS
                            + ") g; SELECT txid_current(); COMMIT; SELECT pg_current_wal_lsn() || ' ' ||"
                            + " to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")
                    .split("\\s+");
            if (b == 2) {
                xidOfBatch2 = Long.parseLong(at[0]);
            }
            if (b == 3) {
                crashTheReceiverMidSegment();
            }
            at = new String[] {at[1], at[2]};
            lsnAfter.add(Lsn.parse(at[0]));
            timeAfter.add(Instant.parse(at[1]));
            Duration d = awaitArchived(Timeline.of(1), switchWal(primary));
            lag = d.compareTo(lag) > 0 ? d : lag;
        }

        Path byLsn = repo.resolveSibling("restore-lsn");
        int port = Ports.free();
        restored.add(byLsn);
        PointInTimeRestore.Outcome o = engine.restore(
                new PointInTimeRestore.Request(
                        CLUSTER,
                        byLsn,
                        Optional.empty(),
                        new RecoveryTarget.AtLsn(lsnAfter.get(1)),
                        true,
                        OptionalInt.of(port),
                        Deadlines.scaled(300)),
                line -> System.out.println("restore: " + line));
        assertEquals(base.id(), o.plan().backup().id());
        assertEquals(expected(2), countByBatch(byLsn, port), "rows of the first two batches, none later");
        assertEquals(Timeline.of(2), o.timeline(), "the restored server promoted onto a timeline of its own");

        Path byTime = repo.resolveSibling("restore-time");
        int port2 = Ports.free();
        restored.add(byTime);
        CliRunner.Run run = cliRestore(
                byTime.toString(),
                "--target-time",
                timeAfter.get(2).toString(),
                "--start",
                "--port",
                Integer.toString(port2));
        assertEquals(0, run.exitCode(), run.err());
        JsonNode line = CatalogueJson.MAPPER.readTree(run.lastLine());
        assertEquals("restored", line.get("result").asText(), line.toString());
        assertEquals(expected(3), countByBatch(byTime, port2), "rows of the first three batches, none later");
        System.out.printf(
                "wal figures: archive lag after pg_switch_wal at most %.2f s; restore to LSN: unpack %.2f s +"
                        + " recovery to promotion %.2f s; bin/pgops backup restore --target-time: %s%n",
                lag.toMillis() / 1000.0, o.unpackMillis() / 1000.0, o.recoveryMillis() / 1000.0, line);
    }

    @Test
    @Order(2)
    void restoresToATransactionAndToARestorePointHoldTheRowsUpToThem() throws Exception {
        Path byXid = repo.resolveSibling("restore-xid");
        int port = Ports.free();
        restored.add(byXid);
        engine.restore(
                new PointInTimeRestore.Request(
                        CLUSTER,
                        byXid,
                        Optional.empty(),
                        new RecoveryTarget.AtXid(xidOfBatch2),
                        true,
                        OptionalInt.of(port),
                        Deadlines.scaled(300)),
                line -> System.out.println("restore: " + line));
        assertEquals(expected(2), countByBatch(byXid, port), "up to and with transaction " + xidOfBatch2);

        Path byName = repo.resolveSibling("restore-name");
        int port2 = Ports.free();
        restored.add(byName);
        CliRunner.Run run = cliRestore(
                byName.toString(), "--target-name", RESTORE_POINT, "--start", "--port", Integer.toString(port2));
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(
                expected(3), countByBatch(byName, port2), "the rows before the restore point '" + RESTORE_POINT + "'");
    }

    @Test
    @Order(2)
    void aTargetTheArchiveNeverReachesFailsWithPostgresLastLines() {
        Path dir = repo.resolveSibling("restore-unreached");
        restored.add(dir);
        CliRunner.Run run = cliRestore(
                dir.toString(), "--target-xid", "4000000000", "--start", "--port", Integer.toString(Ports.free()));
        assertEquals(1, run.exitCode(), run.err());
        assertTrue(run.err().contains("restore failed at recover"), run.err());
        assertTrue(run.err().contains("recovery ended before configured recovery target was reached"), run.err());
        System.out.println("a target never reached: " + run.lastLine());
    }

    @Test
    @Order(2)
    void aTargetBeforeTheOldestBackupIsRefusedAndNothingIsWritten() {
        Path dir = repo.resolveSibling("restore-too-early");
        CliRunner.Run run = cliRestore(dir.toString(), "--target-time", "2000-01-01T00:00:00Z");
        assertEquals(1, run.exitCode(), run.err());
        assertTrue(run.err().contains("no backup becomes consistent before"), run.err());
        assertTrue(!Files.exists(dir), "nothing written");
    }

    @Test
    @Order(3)
    void afterASwitchoverTheArchiveFollowsTheNewPrimaryOntoTimeline2WithoutAGap() throws Exception {
        PgNode oldPrimary = nodes.get(0);
        PgNode newPrimary = nodes.get(1);
        oldPrimary.stop("fast");
        assertEquals("t", newPrimary.sql("SELECT pg_promote()"));
        long t0 = System.nanoTime();
        receiver.follow(source(newPrimary)); // what TopologyChanged does in the service
        newPrimary.sql("INSERT INTO pitr_rows SELECT 5, g FROM generate_series(1, " + ROWS + ") g");
        Duration d = awaitArchived(Timeline.of(2), switchWal(newPrimary));
        Path wal = engine.layout().wal(CLUSTER);
        try (Stream<Path> files = Files.list(wal)) {
            assertTrue(
                    files.anyMatch(p -> p.getFileName().toString().startsWith("00000002.history")),
                    "the history file of timeline 2 was fetched");
        }
        WalGaps.Report r = engine.walCheck(CLUSTER, SIZE);
        assertTrue(r.complete(), r.toString());
        assertEquals(Timeline.of(2), r.stretches().getLast().timeline(), r.toString());
        CliRunner.Run check = CliRunner.run(Map.of(), "wal-check", "--repo", repo.toString(), "--cluster", "pitr");
        assertEquals(0, check.exitCode(), check.err() + check.out());
        System.out.printf(
                "wal figures: after the switchover timeline 2's first full segment was archived %.2f s after the"
                        + " receiver was re-pointed (%.2f s after pg_switch_wal); wal-check: %s%n",
                (System.nanoTime() - t0) / 1e9, d.toMillis() / 1000.0, check.lastLine());

        Path latest = repo.resolveSibling("restore-latest");
        int port = Ports.free();
        restored.add(latest);
        PointInTimeRestore.Outcome o = engine.restore(
                new PointInTimeRestore.Request(
                        CLUSTER,
                        latest,
                        Optional.empty(),
                        new RecoveryTarget.Latest(),
                        true,
                        OptionalInt.of(port),
                        Deadlines.scaled(300)),
                line -> System.out.println("restore: " + line));
        assertEquals(expected(5), countByBatch(latest, port), "every batch, the one written on timeline 2 too");
        assertEquals(Timeline.of(3), o.timeline());
    }

    @Test
    @Order(4)
    void aDeletedSegmentIsReportedAsAGapOnce() throws Exception {
        Path wal = engine.layout().wal(CLUSTER);
        WalGaps.Stretch first = engine.walCheck(CLUSTER, SIZE).stretches().getFirst();
        assertTrue(first.last() - first.first() >= 2, "a stretch with a segment in its middle: " + first);
        WalSegment middle = WalSegment.of(first.timeline(), first.first() + 1);
        Path victim = wal.resolve(middle.name(SIZE) + ".lz4");
        Files.delete(victim);

        GapLedger ledger = new GapLedger();
        List<WalArchiveGapDetected> gaps =
                ledger.newGaps(CLUSTER, wal.toString(), engine.walCheck(CLUSTER, SIZE), SIZE, Instant.now());
        assertEquals(1, gaps.size(), gaps.toString());
        assertEquals(middle.name(SIZE), gaps.getFirst().firstMissingSegment());
        assertEquals(1, gaps.getFirst().missingSegments());
        assertEquals(
                List.of(),
                ledger.newGaps(CLUSTER, wal.toString(), engine.walCheck(CLUSTER, SIZE), SIZE, Instant.now()),
                "reported once");
        CliRunner.Run check = CliRunner.run(Map.of(), "wal-check", "--repo", repo.toString(), "--cluster", "pitr");
        assertEquals(1, check.exitCode(), check.err());
        assertTrue(check.err().contains(middle.name(SIZE)), check.err());

        CliRunner.Run prepared =
                cliRestore(repo.resolveSibling("restore-over-gap").toString());
        assertEquals(0, prepared.exitCode(), prepared.err());
        assertTrue(prepared.err().contains("warning: the WAL archive misses 1 segment(s)"), prepared.err());
        assertEquals(
                1,
                CatalogueJson.MAPPER
                        .readTree(prepared.lastLine())
                        .get("archiveGaps")
                        .asInt());
        System.out.println("wal-check with a deleted segment: " + check.lastLine() + " / "
                + gaps.getFirst().reason());
    }

    /** {@code bin/pgops backup restore --repo <repo> --cluster <CLUSTER> --to <to>} and {@code more}. */
    private CliRunner.Run cliRestore(String to, String... more) {
        List<String> args = new ArrayList<>(
                List.of("restore", "--repo", repo.toString(), "--cluster", CLUSTER.value(), "--to", to));
        args.addAll(List.of(more));
        return CliRunner.run(Map.of(), args.toArray(String[]::new));
    }
}
