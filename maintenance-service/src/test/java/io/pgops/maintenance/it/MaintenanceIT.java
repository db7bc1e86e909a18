package io.pgops.maintenance.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.EventEnvelope;
import io.pgops.events.Topics;
import io.pgops.events.maintenance.MaintenanceCompleted;
import io.pgops.events.maintenance.MaintenanceDue;
import io.pgops.events.maintenance.MaintenanceStarted;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against the real 3-node cluster of the test kit (node1 primary), its database {@code postgres}; each test
 * works on tables of its own, named {@code mt_*}.
 */
@QuarkusTest
@QuarkusTestResource(
        value = PgopsTestResource.class,
        initArgs = @ResourceArg(name = "cluster", value = "true"),
        restrictToAnnotatedClass = true)
class MaintenanceIT {

    @BeforeEach
    void sendATokenOfOperator() {
        RestAuth.as(Tokens.OPERATOR);
    }

    @AfterEach
    void sendNoToken() {
        RestAuth.anonymous();
    }

    static final int ROWS = 50_000;
    final List<PgNode> cluster = TestStack.get().cluster();
    final PgNode primary = cluster.getFirst();

    @Test
    void aBloatedTableIsAVacuumCandidateAndTheRunVacuumsItWithBeforeAndAfterOnKafka() {
        primary.sql("DROP TABLE IF EXISTS mt_bloated;"
                + " CREATE TABLE mt_bloated (id int PRIMARY KEY, pad text) WITH (autovacuum_enabled = false);"
                + " INSERT INTO mt_bloated SELECT g, repeat('x', 100) FROM generate_series(1, " + ROWS + ") g;"
                + " ANALYZE mt_bloated;");
        long updateXid = Long.parseLong(primary.sql("BEGIN; UPDATE mt_bloated SET pad = repeat('y', 100);"
                + " SELECT pg_current_xact_id()::text::bigint % 4294967296; COMMIT;"));
        // the standbys report their oldest snapshot every wal_receiver_status_interval (hot_standby_feedback):
        // until they have reported one newer than the update, its old row versions are not removable yet
        await("every standby's feedback xmin past the update's transaction " + updateXid)
                .atMost(Deadlines.FEEDBACK)
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> primary.sql("SELECT count(*) FROM ("
                                + " SELECT xmin FROM pg_replication_slots UNION ALL"
                                + " SELECT backend_xmin FROM pg_stat_replication) x"
                                + " WHERE x.xmin IS NOT NULL AND x.xmin::text::bigint <= " + updateXid),
                        n -> n.equals("0"));
        JsonPath candidates = await("public.mt_bloated among the vacuum candidates")
                .atMost(Deadlines.STATS)
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> report("vacuum-candidates"),
                        r -> r.getList("body.tasks.findAll { it.target.name == 'mt_bloated' }")
                                        .size()
                                == 1);
        Map<String, Object> candidate = candidates.getMap("body.tasks.find { it.target.name == 'mt_bloated' }");
        assertEquals("vacuum", candidate.get("kind"));
        assertTrue(((String) candidate.get("reason")).contains("dead tuples are"), candidate.toString());

        long t0 = System.nanoTime();
        JsonPath accepted = given().contentType(ContentType.JSON)
                .header(RestAuth.AUTHORIZATION, RestAuth.header("maintenance-it", Tokens.OPERATOR))
                .body(Map.of("reason", "MaintenanceIT: bloated table", "windowMinutes", 10))
                .post("/clusters/it/maintenance")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath();
        String runId = accepted.getString("runId");
        String correlation = accepted.getString("correlationId");
        JsonPath done = awaitRun(runId);
        long runMillis = (System.nanoTime() - t0) / 1_000_000;
        Map<String, Object> task = done.getMap("tasks.find { it.target == 'postgres.public.mt_bloated' }");
        assertEquals("COMPLETED", task.get("state"), task.toString());
        long before = ((Number) task.get("deadTuplesBefore")).longValue();
        long after = ((Number) task.get("deadTuplesAfter")).longValue();
        assertTrue(before >= ROWS * 9 / 10, "dead tuples before " + before);
        assertTrue(after < before / 10, "dead tuples after " + after + " (before " + before + ")");

        List<EventEnvelope> events =
                KafkaTap.events(TestStack.get().kafkaBootstrap(), Topics.MAINTENANCE_EVENTS).stream()
                        .filter(e -> correlation.equals(e.correlationId()))
                        .toList();
        assertTrue(
                events.stream()
                        .anyMatch(e -> e.data() instanceof MaintenanceDue d
                                && d.target().equals("postgres.public.mt_bloated")
                                && d.task().equals("vacuum")),
                "MaintenanceDue for the table: " + events);
        assertTrue(events.stream()
                .anyMatch(e ->
                        e.data() instanceof MaintenanceStarted s && s.target().equals("postgres.public.mt_bloated")));
        MaintenanceCompleted completed = events.stream()
                .map(EventEnvelope::data)
                .filter(d -> d instanceof MaintenanceCompleted c && c.target().equals("postgres.public.mt_bloated"))
                .map(MaintenanceCompleted.class::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no MaintenanceCompleted for the table: " + events));
        assertEquals(before, completed.deadTuplesBefore());
        assertEquals(after, completed.deadTuplesAfter());
        assertNotNull(completed.sizeBytesBefore());
        assertNotNull(completed.sizeBytesAfter());
        assertEquals("node1", completed.node().value());
        System.out.printf(
                "MaintenanceIT figures: vacuum of %d updated rows: dead tuples %d -> %d, size %d -> %d bytes,"
                        + " VACUUM (ANALYZE) %d ms, request to run done %d ms%n",
                ROWS,
                before,
                after,
                completed.sizeBytesBefore(),
                completed.sizeBytesAfter(),
                completed.durationMillis(),
                runMillis);

        assertTrue(
                report("vacuum-candidates")
                        .getList("body.tasks.findAll { it.target.name == 'mt_bloated' }")
                        .isEmpty(),
                "no longer a candidate once vacuumed");
    }

    /** Issue 20: a viewer reads the reports but starts no run; without a token nothing at all. */
    @Test
    void aViewerCannotStartARunAndAnAnonymousCallerCannotReadAReport() {
        given().header(RestAuth.AUTHORIZATION, RestAuth.header("vera", Tokens.VIEWER))
                .contentType(ContentType.JSON)
                .body(Map.of("reason", "MaintenanceIT: a viewer tries"))
                .post("/clusters/it/maintenance")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        RestAuth.anonymous();
        given().get("/clusters/it/reports/indexes").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void anUnusedIndexShowsInTheIndexesReportAndIsNotTouched() {
        primary.sql("DROP TABLE IF EXISTS mt_unused;"
                + " CREATE TABLE mt_unused (id int PRIMARY KEY, note text);"
                + " INSERT INTO mt_unused SELECT g, 'n' || g FROM generate_series(1, 1000) g;"
                + " CREATE INDEX mt_unused_note_idx ON mt_unused (note);");
        JsonPath indexes = report("indexes");
        List<Map<String, Object>> findings = indexes.getList("body.findAll { it.index.name == 'mt_unused_note_idx' }");
        assertEquals(1, findings.size(), "mt_unused_note_idx once in the indexes report: " + indexes.prettify());
        assertEquals("UNUSED", findings.getFirst().get("kind"));
        assertNull(findings.getFirst().get("remedy"), "an unused index is for people to decide");
        assertTrue(
                indexes.getList("body.findAll { it.index.name == 'mt_unused_pkey' }")
                        .isEmpty(),
                "a primary key is never unused");
    }

    @Test
    void anInvalidIndexLeftByAFailedConcurrentUniqueBuildIsDroppedAndAValidOneIsRefused() {
        primary.sql("DROP TABLE IF EXISTS mt_dupes;"
                + " CREATE TABLE mt_dupes (id int PRIMARY KEY, code int);"
                + " INSERT INTO mt_dupes SELECT g, g % 10 FROM generate_series(1, 1000) g;");
        try {
            primary.sql("CREATE UNIQUE INDEX CONCURRENTLY mt_dupes_code_uq ON mt_dupes (code)");
            throw new AssertionError("the unique build on duplicate codes should have failed");
        } catch (RuntimeException expected) {
            // could not create unique index: the INVALID leftover stays behind
        }
        assertEquals(
                "f", primary.sql("SELECT indisvalid FROM pg_index WHERE indexrelid = 'mt_dupes_code_uq'::regclass"));
        JsonPath indexes = report("indexes");
        List<Map<String, Object>> findings = indexes.getList("body.findAll { it.index.name == 'mt_dupes_code_uq' }");
        assertEquals(1, findings.size(), indexes.prettify());
        assertEquals("INVALID", findings.getFirst().get("kind"));
        assertEquals("drop-invalid-index", findings.getFirst().get("remedy"));

        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "reason",
                        "MaintenanceIT: a valid index",
                        "tasks",
                        List.of(Map.of("task", "drop-invalid-index", "target", "public.mt_dupes_pkey"))))
                .post("/clusters/it/maintenance")
                .then()
                .statusCode(422)
                .contentType("application/problem+json");
        assertEquals("1", primary.sql("SELECT count(*) FROM pg_class WHERE relname = 'mt_dupes_pkey'"));

        JsonPath accepted = given().contentType(ContentType.JSON)
                .body(Map.of(
                        "reason",
                        "MaintenanceIT: leftover of a failed build",
                        "tasks",
                        List.of(Map.of("task", "drop-invalid-index", "target", "mt_dupes_code_uq"))))
                .post("/clusters/it/maintenance")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath();
        JsonPath done = awaitRun(accepted.getString("runId"));
        Map<String, Object> task = done.getMap("tasks[0]");
        assertEquals("COMPLETED", task.get("state"), task.toString());
        assertNull(task.get("sizeBytesAfter"));
        // a unique build that fails on its first pass leaves an empty index: all of it (maybe 0 bytes) is given back
        assertEquals(
                ((Number) task.get("sizeBytesBefore")).longValue(),
                ((Number) task.get("reclaimedBytes")).longValue(),
                task.toString());
        assertEquals("0", primary.sql("SELECT count(*) FROM pg_class WHERE relname = 'mt_dupes_code_uq'"));
    }

    @Test
    void aTableNamedLikeAnInjectionIsRefusedWith422AndNothingRuns() {
        primary.sql("CREATE TABLE IF NOT EXISTS y (id int)");
        String body = given().contentType(ContentType.JSON)
                .body(Map.of(
                        "reason",
                        "MaintenanceIT: injection",
                        "tasks",
                        List.of(Map.of("task", "vacuum", "target", "x; DROP TABLE y"))))
                .post("/clusters/it/maintenance")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .extract()
                .asString();
        assertTrue(body.contains("no table 'x; DROP TABLE y' in the catalogue"), body);
        assertEquals("1", primary.sql("SELECT count(*) FROM pg_class WHERE relname = 'y'"));
        assertTrue(KafkaTap.events(TestStack.get().kafkaBootstrap(), Topics.MAINTENANCE_EVENTS).stream()
                .noneMatch(
                        e -> e.data() instanceof MaintenanceDue d && d.target().contains("DROP")));

        given().contentType(ContentType.JSON)
                .body(Map.of("reason", "r", "tasks", List.of(Map.of("task", "DROP TABLE", "target", "y"))))
                .post("/clusters/it/maintenance")
                .then()
                .statusCode(422);
        given().get("/clusters/nope/reports/indexes").then().statusCode(404).contentType("application/problem+json");
        given().get("/clusters/it/reports/indexes?node=node9").then().statusCode(404);
        given().get("/clusters/it/reports/nothing").then().statusCode(404);
    }

    @Test
    void topQueriesNeedPgStatStatementsAndSaySoWithA409WhenItIsMissing() {
        JsonPath top = report("top-queries");
        assertTrue(top.getList("body").size() > 0, "rows from pg_stat_statements");
        assertNotNull(top.get("body[0].shareOfTotalTime"));
        primary.sql("DROP EXTENSION pg_stat_statements");
        try {
            String problem = given().get("/clusters/it/reports/top-queries")
                    .then()
                    .statusCode(409)
                    .contentType("application/problem+json")
                    .extract()
                    .asString();
            assertTrue(problem.contains("pg_stat_statements is not installed"), problem);
        } finally {
            primary.sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        }
    }

    @Test
    void theOtherReportsAnswerFromThePrimaryAndANamedStandby() {
        for (String r : List.of("bloat", "work-mem", "connections", "blocking")) {
            JsonPath p = report(r);
            assertEquals("node1", p.getString("node"), r);
            // how long it took is reported, not asserted (timing goals belong to benches)
            assertTrue(p.getLong("millis") >= 0, r + " reports its duration");
            System.out.printf("MaintenanceIT report %s: %d ms%n", r, p.getLong("millis"));
        }
        assertTrue(report("connections").getInt("body.maxConnections") > 0);
        given().get("/clusters/it/reports/connections?node=node3")
                .then()
                .statusCode(200)
                .body("node", org.hamcrest.Matchers.equalTo("node3"));
    }

    @Test
    void aSessionHoldingALockIsTheRootOfTheBlockingTreeAndAVacuumThatCannotGetItsLockFailsAtItsLockTimeout() {
        primary.sql("DROP TABLE IF EXISTS mt_locked; CREATE TABLE mt_locked (id int);"
                + " INSERT INTO mt_locked SELECT generate_series(1, 100);");
        ExecutorService sessions = Executors.newCachedThreadPool();
        try {
            CompletableFuture<?> holder = CompletableFuture.runAsync(
                    () -> tryRun("BEGIN; LOCK TABLE mt_locked IN ACCESS EXCLUSIVE MODE;"
                            + " SELECT pg_sleep(60) /* mt-lock-holder */; COMMIT;"),
                    sessions);
            await("the holder to take its lock")
                    .atMost(Deadlines.STATS)
                    .until(
                            () -> primary.sql(
                                    "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                                            + " WHERE c.relname = 'mt_locked' AND l.mode = 'AccessExclusiveLock' AND l.granted"),
                            n -> n.equals("1"));
            CompletableFuture<?> waiter = CompletableFuture.runAsync(
                    () -> tryRun("SELECT count(*) /* mt-lock-waiter */ FROM mt_locked"), sessions);
            JsonPath tree = await("the blocking tree: the holder above the waiter")
                    .atMost(Deadlines.STATS)
                    .pollInterval(Duration.ofMillis(300))
                    .until(
                            () -> report("blocking"),
                            r -> r.getList(
                                                    "body.findAll { it.session.query?.contains('mt-lock-holder')"
                                                            + " && it.blocks.any { b -> b.session.query?.contains('mt-lock-waiter') } }")
                                            .size()
                                    == 1);
            Map<String, Object> root = tree.getMap("body.find { it.session.query?.contains('mt-lock-holder') }");
            assertEquals("active", ((Map<?, ?>) root.get("session")).get("state"), root.toString());
            assertEquals(1, ((Number) root.get("waiting")).intValue() >= 1 ? 1 : 0, root.toString());

            long t0 = System.nanoTime();
            JsonPath accepted = given().contentType(ContentType.JSON)
                    .body(Map.of(
                            "reason",
                            "MaintenanceIT: locked table",
                            "tasks",
                            List.of(Map.of("task", "vacuum", "target", "mt_locked"))))
                    .post("/clusters/it/maintenance")
                    .then()
                    .statusCode(202)
                    .extract()
                    .jsonPath();
            Map<String, Object> task = awaitRun(accepted.getString("runId")).getMap("tasks[0]");
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertEquals("FAILED", task.get("state"), task.toString());
            assertTrue(((String) task.get("detail")).contains("lock timeout"), task.toString());
            assertTrue(((String) task.get("detail")).contains("55P03"), task.toString());
            System.out.printf(
                    "MaintenanceIT figures: a vacuum behind a held lock failed after %d ms (lock_timeout 5 s)%n",
                    millis);
            primary.sql("SELECT pg_cancel_backend(pid) FROM pg_stat_activity"
                    + " WHERE query LIKE '%mt-lock-holder%' AND pid <> pg_backend_pid()");
            holder.join();
            waiter.join();
        } finally {
            primary.sql("SELECT pg_cancel_backend(pid) FROM pg_stat_activity"
                    + " WHERE query LIKE '%mt-lock-%' AND pid <> pg_backend_pid()");
            sessions.shutdownNow();
        }
    }

    void tryRun(String sql) {
        try {
            primary.sql(sql);
        } catch (RuntimeException cancelled) {
            // the holder is cancelled at the end of the test
        }
    }

    static JsonPath report(String name) {
        return given().get("/clusters/it/reports/" + name)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    static JsonPath awaitRun(String runId) {
        return await("maintenance run " + runId + " done")
                .atMost(Deadlines.RUN)
                .pollInterval(Duration.ofMillis(300))
                .until(
                        () -> given().get("/clusters/it/maintenance/" + runId)
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath(),
                        p -> "DONE".equals(p.getString("status")));
    }
}
