package io.pgops.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgops.events.EventEnvelope;
import io.pgops.events.Topics;
import io.pgops.events.backup.BackupCompleted;
import io.pgops.events.maintenance.MigrationApplied;
import io.pgops.events.maintenance.MigrationFailed;
import io.pgops.events.maintenance.MigrationRequested;
import io.pgops.pgtools.Cmd;
import io.pgops.pgtools.PgBinaries;
import io.pgops.stack.Http;
import io.pgops.stack.auth.Tokens;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.postgres.PgTopology;
import io.pgops.stack.testkit.KafkaTap;
import io.pgops.stack.testkit.TestStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 19's safe schema migrations, end to end with the backup-service and the maintenance-service as
 * processes against the test kit's cluster (node1 primary), in a database of their own ({@code mig_it}): a
 * migration runs only after its schema-only dump is stored and verified; a failing one is rolled back whole
 * with PostgreSQL's SQLSTATE; one that cannot get its lock fails at the lock timeout with nothing half done; a
 * concurrent unique index that fails leaves no INVALID index; a version is applied once; bad requests are
 * refused before anything is published.
 */
class ASafeMigrationIsDumpedThenAppliedIT {
    static final double SLOW = Double.parseDouble(System.getProperty("pgops.test.slowness", "1"));
    static final Duration MIGRATION_DONE = Duration.ofMillis((long) (60_000 * SLOW));
    static final Duration LOCK_TIMEOUT = Duration.ofSeconds(2);
    static final String DB = "mig_it";
    static final ObjectMapper JSON = new ObjectMapper();

    static TestStack stack;
    static PgNode primary;
    static Path repository;
    static String backup;
    static String maintenance;

    @BeforeAll
    static void startServices() {
        stack = TestStack.get();
        primary = stack.cluster().getFirst();
        primary.sql("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE);\nCREATE DATABASE " + DB + ";");
        repository = stack.dir().resolve("backups");
        backup = stack.startService(
                "backup-service",
                true,
                Map.of(
                        "pgops.backup.repository-root",
                        repository.toString(),
                        "pgops.backup.account.username",
                        PgTopology.REPLICATION_USER,
                        "pgops.backup.account.password-file",
                        stack.secrets().file(PgTopology.REPLICATION_USER).toString(),
                        "pgops.backup.pre-migration.lock-wait-timeout",
                        "1s"));
        maintenance = stack.startService(
                "maintenance-service",
                true,
                Map.of("pgops.maintenance.clusters.it.migration-lock-timeout", LOCK_TIMEOUT.toSeconds() + "s"));
    }

    @Test
    void givenAScriptWhenItIsAppliedThenItsSchemaOnlyDumpWasStoredAndVerifiedFirstAndTheVersionOnlyOnce()
            throws Exception {
        HttpResponse<String> accepted = post(
                migration(
                        "1",
                        "CREATE TABLE mig_orders (id int PRIMARY KEY, ref text);\n"
                                + "INSERT INTO mig_orders SELECT g, 'r' || g FROM generate_series(1, 100) g;"),
                Tokens.OPERATOR);
        assertEquals(202, accepted.statusCode(), accepted.body());
        JsonNode m = JSON.readTree(accepted.body());
        String location = accepted.headers().firstValue("Location").orElseThrow();
        assertTrue(
                location.endsWith(
                        "/clusters/it/migrations/" + m.get("migrationId").asText()),
                location);
        assertEquals("backing-up", m.get("state").asText(), m.toString());

        JsonNode done = awaitDone(location);
        assertEquals("applied", done.get("state").asText(), done.toString());
        String dumpId = done.get("backupId").asText();
        assertEquals("100", sqlIn("SELECT count(*) FROM mig_orders"));
        assertEquals("1", ledgerRow("1"));

        // the dump is catalogued, its file is there and pg_restore reads it; it was taken before the table existed
        JsonNode dumps = JSON.readTree(Http.get(backup + "/clusters/it/dumps", TestStack.bearer(Tokens.VIEWER))
                .body());
        JsonNode dump = null;
        for (JsonNode d : dumps) {
            if (d.get("id").asText().equals(dumpId)) {
                dump = d;
            }
        }
        assertNotNull(dump, "dump " + dumpId + " in " + dumps);
        assertEquals(DB, dump.get("database").asText());
        assertEquals("1", dump.get("migrationVersion").asText());
        assertTrue(dump.get("tocEntries").asInt() > 0, dump.toString());
        Path file = repository.resolve("it/dumps").resolve(dumpId).resolve("schema.dump");
        assertTrue(Files.size(file) > 0, file.toString());
        String toc = Cmd.of(PgBinaries.locate().tool("pg_restore"), "--list", file.toString())
                .run();
        assertFalse(toc.contains("mig_orders"), "the dump precedes the migration:\n" + toc);

        String correlation = m.get("correlationId").asText();
        List<EventEnvelope> commands = story(Topics.MAINTENANCE_COMMANDS, correlation);
        assertTrue(commands.stream()
                .anyMatch(e -> e.data() instanceof MigrationRequested r
                        && r.version().equals("1")
                        && r.database().equals(DB)));
        EventEnvelope completed = story(Topics.BACKUP_EVENTS, correlation).stream()
                .filter(e ->
                        e.data() instanceof BackupCompleted c && c.backupId().equals(dumpId))
                .findFirst()
                .orElseThrow();
        assertEquals("logical", ((BackupCompleted) completed.data()).kind());
        MigrationApplied applied = story(Topics.MAINTENANCE_EVENTS, correlation).stream()
                .map(EventEnvelope::data)
                .filter(d -> d instanceof MigrationApplied)
                .map(MigrationApplied.class::cast)
                .findFirst()
                .orElseThrow();
        assertFalse(applied.appliedAt().isBefore(completed.time()), "applied after the dump completed");
        assertEquals("node1", applied.node().value());
        System.out.printf(
                "MigrationIT figures: dump %s %d bytes, %d entries, %d ms; migration applied in %d ms%n",
                dumpId,
                dump.get("storedBytes").asLong(),
                dump.get("tocEntries").asInt(),
                dump.get("durationMillis").asLong(),
                applied.durationMillis());

        HttpResponse<String> again = post(migration("1", "CREATE TABLE mig_other (id int);"), Tokens.OPERATOR);
        assertEquals(409, again.statusCode(), again.body());
        assertProblem(again);
    }

    @Test
    void givenAStatementThatFailsWhenTheMigrationRunsThenAllOfItIsRolledBackWithTheSqlState() throws Exception {
        sqlIn("CREATE TABLE mig_unique (id int PRIMARY KEY); INSERT INTO mig_unique VALUES (1);");
        JsonNode done =
                apply("2", "ALTER TABLE mig_unique ADD COLUMN note text;\nINSERT INTO mig_unique (id) VALUES (1);");
        assertEquals("failed", done.get("state").asText(), done.toString());
        assertEquals("23505", done.get("sqlState").asText(), done.toString());
        assertTrue(done.get("rolledBack").asBoolean(), done.toString());
        assertTrue(done.get("detail").asText().contains("statement 2 (line 2)"), done.toString());
        assertEquals(
                "0",
                sqlIn("SELECT count(*) FROM information_schema.columns WHERE table_name = 'mig_unique'"
                        + " AND column_name = 'note'"));
        assertEquals("", ledgerRow("2"));
        MigrationFailed failed = failedEvent(done.get("correlationId").asText());
        assertEquals("23505", failed.sqlState());
        assertTrue(failed.rolledBack());
    }

    @Test
    void givenASessionHoldingALockWhenTheMigrationNeedsItThenItFailsAtTheLockTimeoutWithNothingHalfApplied()
            throws Exception {
        sqlIn("CREATE TABLE mig_free (id int); CREATE TABLE mig_locked (id int);");
        CompletableFuture<?> holder = CompletableFuture.runAsync(() -> {
            try {
                // a writer's lock: it lets the pre-migration dump read the table (ACCESS SHARE), not ALTER it
                sqlIn("BEGIN; LOCK TABLE mig_locked IN ROW EXCLUSIVE MODE;"
                        + " SELECT pg_sleep(60) /* mig-lock-holder */; COMMIT;");
            } catch (RuntimeException cancelled) {
                // cancelled at the end of the test
            }
        });
        try {
            await("the holder to take its lock")
                    .atMost(MIGRATION_DONE)
                    .until(
                            () -> sqlIn("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                                    + " WHERE c.relname = 'mig_locked' AND l.mode = 'RowExclusiveLock'"
                                    + " AND l.granted"),
                            n -> n.equals("1"));
            JsonNode done =
                    apply("3", "ALTER TABLE mig_free ADD COLUMN c1 int;\nALTER TABLE mig_locked ADD COLUMN c2 int;");
            assertEquals("failed", done.get("state").asText(), done.toString());
            assertEquals("55P03", done.get("sqlState").asText(), done.toString());
            long millis = done.get("durationMillis").asLong();
            assertTrue(
                    millis >= LOCK_TIMEOUT.toMillis() - 100 && millis < LOCK_TIMEOUT.toMillis() * 3,
                    "failed after " + millis + " ms, lock_timeout " + LOCK_TIMEOUT);
            assertEquals(
                    "0",
                    sqlIn("SELECT count(*) FROM information_schema.columns WHERE table_name = 'mig_free'"
                            + " AND column_name = 'c1'"));
            assertEquals(
                    "55P03", failedEvent(done.get("correlationId").asText()).sqlState());
            System.out.printf("MigrationIT figures: a migration behind a held lock failed after %d ms%n", millis);
        } finally {
            primary.sql("SELECT pg_cancel_backend(pid) FROM pg_stat_activity"
                    + " WHERE query LIKE '%mig-lock-holder%' AND pid <> pg_backend_pid()");
            holder.join();
        }
    }

    @Test
    void givenDuplicatesWhenACreateUniqueIndexConcurrentlyFailsThenNoInvalidIndexIsLeft() throws Exception {
        sqlIn("CREATE TABLE mig_dups (id int, v int); INSERT INTO mig_dups SELECT g, g % 10 FROM"
                + " generate_series(1, 1000) g;");
        JsonNode done = apply("4", "CREATE UNIQUE INDEX CONCURRENTLY mig_dups_v ON mig_dups (v)");
        assertEquals("failed", done.get("state").asText(), done.toString());
        assertEquals("23505", done.get("sqlState").asText(), done.toString());
        assertTrue(
                done.get("detail").asText().contains("the INVALID index public.mig_dups_v it left was dropped"),
                done.toString());
        assertTrue(done.get("rolledBack").asBoolean(), done.toString());
        assertEquals("0", sqlIn("SELECT count(*) FROM pg_class WHERE relname = 'mig_dups_v'"));
    }

    @Test
    void givenATableHeldExclusivelyWhenTheDumpCannotReadItThenTheMigrationFailsWithoutRunning() throws Exception {
        sqlIn("CREATE TABLE mig_held (id int);");
        CompletableFuture<?> holder = CompletableFuture.runAsync(() -> {
            try {
                sqlIn("BEGIN; LOCK TABLE mig_held IN ACCESS EXCLUSIVE MODE;"
                        + " SELECT pg_sleep(60) /* mig-exclusive-holder */; COMMIT;");
            } catch (RuntimeException cancelled) {
                // cancelled at the end of the test
            }
        });
        try {
            await("the holder to take its lock")
                    .atMost(MIGRATION_DONE)
                    .until(
                            () -> sqlIn("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                                    + " WHERE c.relname = 'mig_held' AND l.mode = 'AccessExclusiveLock'"
                                    + " AND l.granted"),
                            n -> n.equals("1"));
            JsonNode done = apply("5", "CREATE TABLE mig_after_no_dump (id int);");
            assertEquals("failed", done.get("state").asText(), done.toString());
            assertTrue(done.get("detail").asText().startsWith("pre-migration backup failed at copy"), done.toString());
            assertTrue(done.get("detail").asText().endsWith("nothing was run"), done.toString());
            assertEquals("f", sqlIn("SELECT to_regclass('mig_after_no_dump') IS NOT NULL"));
            assertTrue(story(Topics.BACKUP_EVENTS, done.get("correlationId").asText()).stream()
                    .anyMatch(e -> e.data() instanceof io.pgops.events.backup.BackupFailed));
        } finally {
            primary.sql("SELECT pg_cancel_backend(pid) FROM pg_stat_activity"
                    + " WHERE query LIKE '%mig-exclusive-holder%' AND pid <> pg_backend_pid()");
            holder.join();
        }
    }

    @Test
    void givenBadRequestsThenTheyAreRefusedAsProblemsAndNothingIsPublished() throws Exception {
        String body = migration("9", "CREATE TABLE mig_never (id int);");
        HttpResponse<String> anonymous = post(body, null);
        assertEquals(401, anonymous.statusCode());
        assertProblem(anonymous);
        assertEquals(403, post(body, Tokens.VIEWER).statusCode());

        Map<String, Object> noReason = new LinkedHashMap<>(Map.of("sql", "SELECT 1", "version", "9"));
        assertBad(400, JSON.writeValueAsString(noReason));
        assertBad(400, migration("v9", "SELECT 1"));
        assertBad(422, migration("9", "ALTER TABLE t ADD c int; CREATE INDEX CONCURRENTLY t_c ON t (c);"));
        assertBad(422, migration("9", "BEGIN; CREATE TABLE mig_never (id int); COMMIT;"));
        Map<String, Object> otherDb = new LinkedHashMap<>(JSON.readValue(migration("9", "SELECT 1"), Map.class));
        otherDb.put("database", "no_such_db");
        assertBad(422, JSON.writeValueAsString(otherDb));

        Http.Response list = Http.get(maintenance + "/clusters/it/migrations", TestStack.bearer(Tokens.VIEWER));
        assertEquals(200, list.status());
        for (JsonNode m : JSON.readTree(list.body())) {
            assertFalse(m.get("version").asText().equals("9"), "a refused request was accepted: " + m);
        }
        assertTrue(KafkaTap.events(stack.kafkaBootstrap(), Topics.MAINTENANCE_COMMANDS).stream()
                .noneMatch(e ->
                        e.data() instanceof MigrationRequested r && r.version().equals("9")));
    }

    /**
     * A migration accepted and waiting for its dump survives a crash of the instance that accepted it: its script
     * waits in its database's {@code pgops_ledger.pending_migrations}; the restarted instance (same instance id:
     * same host and port) claims it, asks for the dump again under the same correlation id and applies it once.
     */
    @Test
    void givenTheServiceKilledWhileItsMigrationWaitsForTheDumpWhenItIsBackThenTheMigrationIsResumedAndAppliedOnce()
            throws Exception {
        String location;
        String correlation;
        stack.pauseService("backup-service"); // no dump until the maintenance-service is gone
        try {
            HttpResponse<String> accepted = post(
                    migration(
                            "10",
                            "CREATE TABLE mig_resumed (id int PRIMARY KEY);\n"
                                    + "INSERT INTO mig_resumed SELECT generate_series(1, 10);"),
                    Tokens.OPERATOR);
            assertEquals(202, accepted.statusCode(), accepted.body());
            location = accepted.headers().firstValue("Location").orElseThrow();
            correlation = JSON.readTree(accepted.body()).get("correlationId").asText();
            assertEquals(
                    "requested|10",
                    sqlIn("SELECT state || '|' || version FROM pgops_ledger.pending_migrations WHERE version = '10'"),
                    "the script waits in its database");
            stack.killService("maintenance-service");
        } finally {
            stack.resumeService("backup-service");
        }
        assertEquals(maintenance, stack.restartService("maintenance-service"), "restarted on its port");

        JsonNode done = awaitDone(location, MIGRATION_DONE.multipliedBy(2));
        assertEquals("applied", done.get("state").asText(), done.toString());
        assertEquals(correlation, done.get("correlationId").asText());
        assertEquals("10", sqlIn("SELECT count(*) FROM mig_resumed"));
        assertEquals("10", ledgerRow("10"));
        assertEquals(
                "0",
                sqlIn("SELECT count(*) FROM pgops_ledger.pending_migrations WHERE version = '10'"),
                "nothing left pending");
        List<EventEnvelope> requested = story(Topics.MAINTENANCE_COMMANDS, correlation);
        assertTrue(
                requested.stream()
                                .filter(e -> e.data() instanceof MigrationRequested)
                                .count()
                        >= 2,
                "asked for its dump again after the restart: " + requested);
        assertEquals(
                1,
                story(Topics.MAINTENANCE_EVENTS, correlation).stream()
                        .filter(e -> e.data() instanceof MigrationApplied)
                        .count(),
                "applied once");
    }

    // ---- helpers

    static String migration(String version, String sql) throws Exception {
        return JSON.writeValueAsString(
                Map.of("sql", sql, "reason", "MigrationIT " + version, "version", version, "database", DB));
    }

    static JsonNode apply(String version, String sql) throws Exception {
        HttpResponse<String> accepted = post(migration(version, sql), Tokens.OPERATOR);
        assertEquals(202, accepted.statusCode(), accepted.body());
        return awaitDone(accepted.headers().firstValue("Location").orElseThrow());
    }

    static JsonNode awaitDone(String location) {
        return awaitDone(location, MIGRATION_DONE);
    }

    static JsonNode awaitDone(String location, Duration within) {
        return await("migration " + location + " applied or failed")
                .atMost(within)
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () -> JSON.readTree(Http.get(location, TestStack.bearer(Tokens.VIEWER))
                                .body()),
                        m -> m.has("state")
                                && (m.get("state").asText().equals("applied")
                                        || m.get("state").asText().equals("failed")));
    }

    static MigrationFailed failedEvent(String correlation) {
        return story(Topics.MAINTENANCE_EVENTS, correlation).stream()
                .map(EventEnvelope::data)
                .filter(d -> d instanceof MigrationFailed)
                .map(MigrationFailed.class::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no MigrationFailed under " + correlation));
    }

    static List<EventEnvelope> story(String topic, String correlation) {
        return KafkaTap.events(stack.kafkaBootstrap(), topic).stream()
                .filter(e -> correlation.equals(e.correlationId()))
                .toList();
    }

    /** The ledger's version column for {@code version}, empty when the ledger or the row is missing. */
    static String ledgerRow(String version) {
        if (!sqlIn("SELECT to_regclass('pgops_ledger.schema_migrations') IS NOT NULL")
                .equals("t")) {
            return "";
        }
        return sqlIn("SELECT version FROM pgops_ledger.schema_migrations WHERE version = '" + version + "'");
    }

    static String sqlIn(String sql) {
        return primary.sql("\\c " + DB + "\n" + sql);
    }

    static void assertBad(int status, String body) throws Exception {
        HttpResponse<String> r = post(body, Tokens.OPERATOR);
        assertEquals(status, r.statusCode(), body + " -> " + r.body());
        assertProblem(r);
    }

    static void assertProblem(HttpResponse<String> r) {
        assertTrue(
                r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                r.headers().map().toString());
    }

    static HttpResponse<String> post(String json, String role) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(maintenance + "/clusters/it/migrations"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (role != null) {
            b.header("Authorization", TestStack.bearer(role));
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
