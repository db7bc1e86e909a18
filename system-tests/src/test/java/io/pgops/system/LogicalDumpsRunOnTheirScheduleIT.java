package io.pgops.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgops.events.EventEnvelope;
import io.pgops.events.Topics;
import io.pgops.events.backup.BackupCompleted;
import io.pgops.events.backup.BackupExpired;
import io.pgops.events.backup.BackupRequested;
import io.pgops.pgtools.Cmd;
import io.pgops.pgtools.PgBinaries;
import io.pgops.stack.Http;
import io.pgops.stack.auth.Tokens;
import io.pgops.stack.postgres.PgTopology;
import io.pgops.stack.testkit.KafkaTap;
import io.pgops.stack.testkit.TestStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 18's scheduled logical dumps, with a backup-service of its own (name {@code backup-scheduled}, a 2 s
 * interval, no WAL archiving, no pre-migration dumps, its own consumer group so that it never takes another
 * instance's requests): given the test kit's cluster, then within the deadline every database of the primary has a
 * {@code -full} dump that {@code pg_restore --list} reads, requested by {@code scheduler} and completed on Kafka.
 */
class LogicalDumpsRunOnTheirScheduleIT {
    static final double SLOW = Double.parseDouble(System.getProperty("pgops.test.slowness", "1"));
    static final Duration DUMPED = Duration.ofMillis((long) (60_000 * SLOW));
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void givenAnIntervalThenEveryDatabaseOfThePrimaryIsDumpedReadBackAndCatalogued() throws Exception {
        TestStack stack = TestStack.get();
        stack.cluster().getFirst().sql("SELECT 1");
        Path repository = stack.dir().resolve("scheduled-dumps");
        String url = stack.startService(
                "backup-scheduled",
                "backup-service",
                true,
                Map.of(
                        "pgops.backup.repository-root", repository.toString(),
                        "pgops.backup.wal.enabled", "false",
                        "pgops.backup.pre-migration.enabled", "false",
                        "mp.messaging.incoming.maintenance-commands.group.id", "backup-scheduled-it",
                        "pgops.backup.logical.schedule", "2s",
                        "pgops.backup.logical.tick", "500ms",
                        "pgops.backup.logical.keep-last", "2",
                        "pgops.backup.account.username", PgTopology.REPLICATION_USER,
                        "pgops.backup.account.password-file",
                                stack.secrets()
                                        .file(PgTopology.REPLICATION_USER)
                                        .toString()));
        JsonNode dumps = await("a full dump of database postgres in the catalogue")
                .atMost(DUMPED)
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> JSON.readTree(Http.get(url + "/clusters/it/dumps", TestStack.bearer(Tokens.VIEWER))
                                .body()),
                        d -> {
                            for (JsonNode e : d) {
                                if (e.get("database").asText().equals("postgres")
                                        && e.get("scope").asText().equals("full")) {
                                    return true;
                                }
                            }
                            return false;
                        });
        JsonNode postgres = null;
        for (JsonNode e : dumps) {
            if (e.get("database").asText().equals("postgres")) {
                postgres = e;
            }
        }
        String id = postgres.get("id").asText();
        assertTrue(id.endsWith("-full"), id);
        String toc = Cmd.of(
                        PgBinaries.locate().tool("pg_restore"),
                        "--list",
                        repository
                                .resolve("it/dumps")
                                .resolve(id)
                                .resolve("full.dump")
                                .toString())
                .run();
        assertTrue(toc.contains("dbname: postgres"), toc);
        String correlation = postgres.get("correlationId").asText();
        List<EventEnvelope> story = KafkaTap.events(stack.kafkaBootstrap(), Topics.BACKUP_EVENTS).stream()
                .filter(e -> correlation.equals(e.correlationId()))
                .toList();
        assertTrue(
                story.stream()
                        .anyMatch(e -> e.data() instanceof BackupCompleted c
                                && c.backupId().equals(id)
                                && c.kind().equals("logical")),
                story.toString());
        BackupRequested asked = KafkaTap.events(stack.kafkaBootstrap(), Topics.BACKUP_COMMANDS).stream()
                .filter(e -> correlation.equals(e.correlationId()))
                .map(EventEnvelope::data)
                .map(BackupRequested.class::cast)
                .findFirst()
                .orElseThrow();
        assertEquals("scheduler", asked.principal());

        // retention keeps the newest 2 full dumps of each database: once a third round ran, the oldest go, each with
        // BackupExpired (kind logical), and the catalogue never lists more than 2 of a database
        BackupExpired expired = await("a dump of database postgres expired by retention")
                .atMost(DUMPED)
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> KafkaTap.events(stack.kafkaBootstrap(), Topics.BACKUP_EVENTS).stream()
                                .map(EventEnvelope::data)
                                .filter(d -> d instanceof BackupExpired x
                                        && x.backupId().endsWith("-full")
                                        && x.cluster().value().equals("it"))
                                .map(BackupExpired.class::cast)
                                .findFirst()
                                .orElse(null),
                        java.util.Objects::nonNull);
        assertEquals("logical", expired.kind());
        assertTrue(expired.reason().contains("older than the newest 2 dumps"), expired.reason());
        assertTrue(!Files.exists(repository.resolve("it/dumps").resolve(expired.backupId())), "deleted");
        JsonNode after = JSON.readTree(Http.get(url + "/clusters/it/dumps", TestStack.bearer(Tokens.VIEWER))
                .body());
        java.util.Map<String, Integer> perDatabase = new java.util.TreeMap<>();
        for (JsonNode e : after) {
            if (e.get("scope").asText().equals("full")) {
                perDatabase.merge(e.get("database").asText(), 1, Integer::sum);
            }
        }
        assertTrue(perDatabase.values().stream().allMatch(n -> n <= 2), perDatabase.toString());
        System.out.printf(
                "scheduled logical dump figures: %s %d bytes, %d entries, %d ms%n",
                id,
                postgres.get("storedBytes").asLong(),
                postgres.get("tocEntries").asInt(),
                postgres.get("durationMillis").asLong());
    }
}
