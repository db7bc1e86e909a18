package io.pgops.backup.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.backup.domain.WalSegment;
import io.pgops.events.EventEnvelope;
import io.pgops.events.Topics;
import io.pgops.events.backup.BackupCompleted;
import io.pgops.events.backup.BackupExpired;
import io.pgops.events.backup.BackupFailed;
import io.pgops.events.backup.BackupRequested;
import io.pgops.events.backup.BackupStarted;
import io.pgops.events.backup.BackupVerified;
import io.pgops.events.backup.WalArchiveGapDetected;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.Timeline;
import io.pgops.stack.auth.Tokens;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.testkit.KafkaTap;
import io.pgops.stack.testkit.PgopsTestResource;
import io.pgops.stack.testkit.RestAuth;
import io.pgops.stack.testkit.TestStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The schedules on the real cluster and broker: a scheduled full backup goes the way of a requested one
 * ({@code BackupRequested} by {@code pgops-scheduler}, then {@code BackupStarted} → {@code BackupCompleted} →
 * verifications under its correlation id), a scheduled restore drill of the newest backup publishes its
 * verifications, and no two backups of the cluster ever run at once.
 */
@QuarkusTest
@QuarkusTestResource(
        value = PgopsTestResource.class,
        initArgs = @ResourceArg(name = "cluster", value = "true"),
        restrictToAnnotatedClass = true)
@QuarkusTestResource(value = ScheduleItConfig.class, restrictToAnnotatedClass = true)
class BackupScheduleIT {

    private static String repository() {
        return TestStack.get().dir().resolve(ScheduleItConfig.REPOSITORY).toString();
    }

    private static List<EventEnvelope> scheduledRequests() {
        return KafkaTap.events(TestStack.get().kafkaBootstrap(), Topics.BACKUP_COMMANDS).stream()
                .filter(e -> e.data() instanceof BackupRequested r
                        && r.principal().equals("pgops-scheduler")
                        && r.cluster().value().equals("it"))
                .toList();
    }

    /** The events of this test's repository, in the order of the cluster's partition. */
    private static List<EventEnvelope> events() {
        String repo = repository();
        return KafkaTap.events(TestStack.get().kafkaBootstrap(), Topics.BACKUP_EVENTS).stream()
                .filter(e -> switch (e.data()) {
                    case BackupStarted s -> s.repository().equals(repo);
                    case BackupCompleted c -> c.repository().equals(repo);
                    case BackupFailed f -> f.repository().equals(repo);
                    case BackupVerified v -> v.repository().equals(repo);
                    case BackupExpired x -> x.repository().equals(repo);
                    default -> false;
                })
                .toList();
    }

    @Test
    void aScheduledBackupAndAScheduledDrillRunAsRequestedOnesDoAndNeverTwoBackupsAtOnce() {
        List<EventEnvelope> asked = await("two scheduled BackupRequested by pgops-scheduler")
                .atMost(Deadlines.BACKUP_VERIFIED)
                .until(BackupScheduleIT::scheduledRequests, l -> l.size() >= 2);
        BackupRequested first = (BackupRequested) asked.getFirst().data();
        assertTrue(first.reason().startsWith("full backup of it due at"), first.reason());
        Set<String> backupFlows =
                asked.stream().map(EventEnvelope::correlationId).collect(Collectors.toSet());

        List<EventEnvelope> events = await("a scheduled backup completed and verified, and a drill verified")
                .atMost(Deadlines.BACKUP_VERIFIED)
                .until(
                        BackupScheduleIT::events,
                        l -> l.stream()
                                        .anyMatch(e -> e.data() instanceof BackupVerified v
                                                && v.method().equals("restore")
                                                && backupFlows.contains(e.correlationId()))
                                && l.stream()
                                        .anyMatch(e -> e.data() instanceof BackupVerified v
                                                && v.method().equals("restore")
                                                && !backupFlows.contains(e.correlationId())));
        List<EventEnvelope> firstFlow = events.stream()
                .filter(e -> e.correlationId().equals(asked.getFirst().correlationId()))
                .toList();
        assertEquals(
                List.of("BackupStarted", "BackupCompleted", "BackupVerified", "BackupVerified"),
                firstFlow.stream()
                        .limit(4)
                        .map(e -> e.data().getClass().getSimpleName())
                        .toList(),
                firstFlow.toString());

        // one partition per cluster: a start is always followed by its end before the next start
        String running = null;
        for (EventEnvelope e : events) {
            if (e.data() instanceof BackupStarted s) {
                assertEquals(null, running, "backup " + s.backupId() + " started while " + running + " ran");
                running = s.backupId();
            } else if (e.data() instanceof BackupCompleted || e.data() instanceof BackupFailed) {
                running = null;
            }
        }
    }

    @Test
    void retentionDeletesTheBackupsBeyondTheNewestAfterEachBackupAndSaysWhy() {
        List<EventEnvelope> events = await("a BackupExpired for a scheduled backup beyond the newest one")
                .atMost(Deadlines.BACKUP_VERIFIED)
                .until(BackupScheduleIT::events, l -> l.stream().anyMatch(e -> e.data() instanceof BackupExpired));
        EventEnvelope expired = events.stream()
                .filter(e -> e.data() instanceof BackupExpired)
                .findFirst()
                .orElseThrow();
        BackupExpired x = (BackupExpired) expired.data();
        assertTrue(x.reason().startsWith("older than the newest 1 backups"), x.reason());
        assertTrue(x.freedBytes() > 0, x.toString());
        // published under the flow of the backup after which retention ran, after that backup's verifications
        List<String> flow = events.stream()
                .filter(e -> e.correlationId().equals(expired.correlationId()))
                .map(e -> e.data().getClass().getSimpleName())
                .toList();
        assertEquals("BackupStarted", flow.getFirst(), flow.toString());
        assertFalse(
                Files.exists(TestStack.get()
                        .dir()
                        .resolve(ScheduleItConfig.REPOSITORY)
                        .resolve("it")
                        .resolve(x.backupId())),
                "the expired backup's directory is gone");
        await("the catalogue no longer lists " + x.backupId())
                .atMost(Deadlines.BACKUP_FAILED)
                .until(() -> !given().header(RestAuth.AUTHORIZATION, RestAuth.header("it-viewer", Tokens.VIEWER))
                        .get("/clusters/it/backups")
                        .jsonPath()
                        .getList("id")
                        .contains(x.backupId()));
    }

    @Test
    void retentionOnCommandSaysWhatWouldGoWithoutDeletingInADryRunAndNeedsAnOperator() {
        await("a backup in the catalogue")
                .atMost(Deadlines.BACKUP_VERIFIED)
                .until(() -> !given().header(RestAuth.AUTHORIZATION, RestAuth.header("it-viewer", Tokens.VIEWER))
                        .get("/clusters/it/backups")
                        .jsonPath()
                        .getList("id")
                        .isEmpty());
        JsonPath answer = given().header(RestAuth.AUTHORIZATION, RestAuth.header("it-operator", Tokens.OPERATOR))
                .contentType(ContentType.JSON)
                .body("{\"reason\": \"what would go?\", \"dryRun\": true}")
                .post("/clusters/it/backups/retention")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals("keep the newest 1 backup", answer.getString("outcome.policy"));
        assertEquals(0, answer.getInt("outcome.deleted"));
        assertTrue(answer.getList("outcome.backups.keep").contains(true), answer.prettify());
        assertTrue(answer.getList("outcome.backups.reason").stream()
                .allMatch(r -> !String.valueOf(r).isBlank()));

        given().header(RestAuth.AUTHORIZATION, RestAuth.header("it-viewer", Tokens.VIEWER))
                .contentType(ContentType.JSON)
                .body("{\"reason\": \"x\"}")
                .post("/clusters/it/backups/retention")
                .then()
                .statusCode(403);
        given().header(RestAuth.AUTHORIZATION, RestAuth.header("it-operator", Tokens.OPERATOR))
                .contentType(ContentType.JSON)
                .body("{\"reason\": \"x\"}")
                .post("/clusters/nope/backups/retention")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().header(RestAuth.AUTHORIZATION, RestAuth.header("it-operator", Tokens.OPERATOR))
                .contentType(ContentType.JSON)
                .body("{\"dryRun\": true}")
                .post("/clusters/it/backups/retention")
                .then()
                .statusCode(400);
    }

    @Test
    void walRetentionRemovesTheSegmentsBeforeTheOldestKeptBackupAndTheGapCheckFindsNoGap() throws Exception {
        String viewer = RestAuth.header("it-viewer", Tokens.VIEWER);
        // backups come from a standby, which starts them at its last restartpoint: the primary checkpoints (and
        // switches to a new segment) while the test waits, so that the oldest kept backup's start moves on
        PgNode primary = TestStack.get().cluster().getFirst();
        await("WAL retention removed segments from the real archive")
                .atMost(Deadlines.BACKUP_VERIFIED)
                .pollInterval(java.time.Duration.ofSeconds(1))
                .until(() -> pushWal(primary)
                        && metric(
                                        given().header(RestAuth.AUTHORIZATION, viewer)
                                                .header("Accept", "text/plain; version=0.0.4")
                                                .get("/q/metrics")
                                                .asString(),
                                        "pgops_backup_wal_removed_segments_total{cluster=\"it\"")
                                > 0);
        Path wal = TestStack.get()
                .dir()
                .resolve(ScheduleItConfig.REPOSITORY)
                .resolve("it")
                .resolve("wal");
        // backups keep coming: the catalogue is read first, so the archive can only have lost more since
        await("no segment older than the oldest catalogued backup's start is left in " + wal)
                .atMost(Deadlines.BACKUP_VERIFIED)
                .until(() -> {
                    JsonPath cat = given().header(RestAuth.AUTHORIZATION, viewer)
                            .get("/clusters/it/backups")
                            .jsonPath();
                    if (cat.getList("id").isEmpty()) {
                        return false;
                    }
                    Timeline tl = Timeline.of(cat.getLong("[0].timeline"));
                    long first = WalSegment.containing(tl, Lsn.parse(cat.getString("[0].startLsn")), SIZE)
                            .number();
                    try (var files = Files.list(wal)) {
                        return files.map(f -> WalSegment.parse(f.getFileName().toString(), SIZE))
                                .flatMap(java.util.Optional::stream)
                                .filter(seg -> seg.timeline().compareTo(tl) <= 0)
                                .allMatch(seg -> seg.number() >= first);
                    }
                });
        JsonPath archive = await("the gap check of the pruned archive")
                .atMost(Deadlines.BACKUP_FAILED)
                .until(
                        () -> given().header(RestAuth.AUTHORIZATION, viewer)
                                .get("/clusters/it/wal")
                                .jsonPath(),
                        j -> j.getString("result") != null);
        assertEquals("complete", archive.getString("result"), archive.prettify());
        assertTrue(
                KafkaTap.events(TestStack.get().kafkaBootstrap(), Topics.BACKUP_EVENTS).stream()
                        .noneMatch(e -> e.data() instanceof WalArchiveGapDetected g
                                && g.repository().startsWith(repository())),
                "no WalArchiveGapDetected for the pruned archive");
    }

    private static final long SIZE = WalSegment.DEFAULT_SIZE;

    /** A write, a new segment and a checkpoint on the primary; true. */
    private static boolean pushWal(PgNode primary) {
        primary.sql("CREATE TABLE IF NOT EXISTS wal_push (i int); INSERT INTO wal_push VALUES (1);"
                + " SELECT pg_switch_wal(); CHECKPOINT;");
        return true;
    }

    /** The value of the first sample whose line starts with {@code prefix}; NaN when there is none. */
    private static double metric(String text, String prefix) {
        return text.lines()
                .filter(l -> l.startsWith(prefix))
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElse(Double.NaN);
    }
}
