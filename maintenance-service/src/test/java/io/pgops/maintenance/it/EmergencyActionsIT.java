package io.pgops.maintenance.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.EventEnvelope;
import io.pgops.events.Requester;
import io.pgops.events.Topics;
import io.pgops.events.maintenance.EmergencyActionRequested;
import io.pgops.events.maintenance.MaintenanceCompleted;
import io.pgops.events.model.ClusterId;
import io.pgops.maintenance.config.Policies;
import io.pgops.maintenance.domain.EmergencyAction;
import io.pgops.maintenance.domain.EmergencyCriteria;
import io.pgops.maintenance.messaging.MaintenanceEventPublisher;
import io.pgops.maintenance.service.ClusterNodes;
import io.pgops.maintenance.service.EmergencyActions;
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
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Guarded emergency actions on the test kit's real cluster: real sessions (idle, idle in transaction holding a row
 * lock, a long {@code pg_sleep}) opened over TCP as an application role; the dry run lists exactly them and never
 * pgops' own sessions, superusers or walsenders; only an administrator's confirmation with the dry run's token hits
 * them, and only those the dry run showed.
 */
@QuarkusTest
@QuarkusTestResource(
        value = PgopsTestResource.class,
        initArgs = @ResourceArg(name = "cluster", value = "true"),
        restrictToAnnotatedClass = true)
@QuarkusTestResource(value = SharedTokenKey.class, restrictToAnnotatedClass = true)
class EmergencyActionsIT {
    static final String PASSWORD = "emg-it-not-a-secret";

    @Inject
    Vertx vertx;

    @Inject
    ClusterNodes clusterNodes;

    @Inject
    Policies policies;

    @Inject
    MaintenanceEventPublisher publisher;

    final PgNode primary = TestStack.get().cluster().getFirst();
    final List<PgConnection> opened = new ArrayList<>();

    @BeforeEach
    void rolesAndATable() {
        RestAuth.as(Tokens.OPERATOR);
        primary.sql("DO $$ BEGIN"
                + " IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'emg_app') THEN"
                + "  CREATE ROLE emg_app LOGIN PASSWORD '" + PASSWORD + "'; END IF;"
                + " IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'emg_su') THEN"
                + "  CREATE ROLE emg_su SUPERUSER LOGIN PASSWORD '" + PASSWORD + "'; END IF; END $$;"
                + " CREATE TABLE IF NOT EXISTS emg_locked (id int PRIMARY KEY, v int);"
                + " INSERT INTO emg_locked VALUES (1, 0) ON CONFLICT DO NOTHING;"
                + " GRANT SELECT, UPDATE ON emg_locked TO emg_app;");
    }

    @AfterEach
    void closeSessions() {
        RestAuth.anonymous();
        opened.forEach(PgConnection::closeAndForget);
    }

    /** A session of {@code role} with {@code application}: its pid. */
    PgConnection open(String role, String application) {
        PgConnection c = PgConnection.connect(
                        vertx,
                        new PgConnectOptions()
                                .setHost("127.0.0.1")
                                .setPort(primary.port())
                                .setDatabase("postgres")
                                .setUser(role)
                                .setPassword(PASSWORD)
                                .addProperty("application_name", application))
                .await()
                .atMost(Duration.ofSeconds(10));
        opened.add(c);
        return c;
    }

    static int pid(PgConnection c) {
        return c.query("SELECT pg_backend_pid()")
                .execute()
                .await()
                .atMost(Duration.ofSeconds(10))
                .iterator()
                .next()
                .getInteger(0);
    }

    static void run(PgConnection c, String sql) {
        c.query(sql).execute().await().atMost(Duration.ofSeconds(10));
    }

    static Map<String, Object> body(long seconds, Map<String, Object> more) {
        Map<String, Object> b = new HashMap<>(more);
        b.put("longerThanSeconds", seconds);
        b.put("reason", "EmergencyActionsIT: runaway sessions at 3 a.m.");
        return b;
    }

    static JsonPath post(String action, Map<String, Object> body, String role, int status) {
        return given().contentType(ContentType.JSON)
                .header(RestAuth.AUTHORIZATION, RestAuth.header("emg-" + role, role))
                .body(body)
                .post("/clusters/it/emergency/" + action)
                .then()
                .statusCode(status)
                .extract()
                .jsonPath();
    }

    /** The dry run once it lists exactly {@code expected} (the sessions must first be older than the threshold). */
    static JsonPath dryRunListing(String action, Map<String, Object> body, List<Integer> expected) {
        return await(action + " dry run listing exactly " + expected)
                .atMost(Deadlines.STATS)
                .pollInterval(Duration.ofMillis(300))
                .until(
                        () -> post(action, body, Tokens.OPERATOR, 200),
                        r -> r.getList("sessions.pid", Integer.class).stream()
                                .sorted()
                                .toList()
                                .equals(expected.stream().sorted().toList()));
    }

    List<Integer> walsenders() {
        return Arrays.stream(primary.sql("SELECT string_agg(pid::text, ',') FROM pg_stat_replication")
                        .split(","))
                .filter(s -> !s.isBlank())
                .map(Integer::valueOf)
                .toList();
    }

    boolean alive(int pid) {
        return primary.sql("SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid)
                .equals("1");
    }

    @Test
    void theDryRunListsExactlyTheIdleSessionAndTheAdminsConfirmationTerminatesOnlyThat() {
        PgConnection idle = open("emg_app", "emg-idle");
        int idlePid = pid(idle);
        int superPid = pid(open("emg_su", "emg-su"));
        int ownPid = pid(open("emg_app", "pgops-it-own"));

        // the sessions were opened one after another: each qualifies (or is spared) once idle for 1 s of its own,
        // so the listing is awaited until it also spares the two opened after the idle one (CI run 1 of the sixth
        // session read it when the idle session had just qualified and pgops' own was not yet 1 s old)
        JsonPath dry = await("terminate-idle dry run listing " + idlePid + " and sparing " + superPid + ", " + ownPid)
                .atMost(Deadlines.STATS)
                .pollInterval(Duration.ofMillis(300))
                .until(
                        () -> post("terminate-idle", body(1, Map.of()), Tokens.OPERATOR, 200),
                        r -> r.getList("sessions.pid", Integer.class).equals(List.of(idlePid))
                                && r.getList("spared.pids.flatten()", Integer.class)
                                        .containsAll(List.of(superPid, ownPid)));
        Map<String, Object> listed = dry.getMap("sessions[0]");
        assertEquals("emg_app", listed.get("user"));
        assertEquals("postgres", listed.get("database"));
        assertEquals("emg-idle", listed.get("application"));
        assertEquals("127.0.0.1", listed.get("client"));
        assertEquals("idle", listed.get("state"));
        assertEquals("SELECT pg_backend_pid()", listed.get("query"));
        assertTrue(dry.getBoolean("dryRun"));
        assertTrue(
                dry.getList("spared.find { it.reason.startsWith('superuser emg_su') }.pids", Integer.class)
                        .contains(superPid),
                dry.prettify());
        assertTrue(
                dry.getList("spared.find { it.reason == \"pgops' own session\" }.pids", Integer.class)
                        .contains(ownPid),
                dry.prettify());
        String token = dry.getString("token");
        int late = pid(open("emg_app", "emg-idle")); // qualifies soon, but the dry run never showed it

        Map<String, Object> confirm = body(1, Map.of("dryRun", false, "token", token));
        post("terminate-idle", confirm, Tokens.VIEWER, 403);
        post("terminate-idle", confirm, Tokens.OPERATOR, 403);
        await("the late session idle longer than the threshold too")
                .atMost(Deadlines.STATS)
                .pollInterval(Duration.ofMillis(300))
                .until(() -> post("terminate-idle", body(1, Map.of()), Tokens.OPERATOR, 200)
                        .getList("sessions.pid", Integer.class)
                        .contains(late));

        long t0 = System.nanoTime();
        JsonPath done = post("terminate-idle", confirm, Tokens.ADMIN, 200);
        long confirmMillis = (System.nanoTime() - t0) / 1_000_000;
        long t1 = System.nanoTime();
        post("terminate-idle", body(1, Map.of()), Tokens.OPERATOR, 200);
        System.out.printf(
                "EmergencyActionsIT figures: confirmed terminate-idle of 1 session (2 events published) %d ms, a dry"
                        + " run %d ms%n",
                confirmMillis, (System.nanoTime() - t1) / 1_000_000);
        assertFalse(done.getBoolean("dryRun"));
        assertEquals(List.of(idlePid), done.getList("sessions.pid", Integer.class));
        assertEquals("terminated", done.getString("sessions[0].outcome"));
        await("pid " + idlePid + " terminated")
                .atMost(Deadlines.STATS)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> !alive(idlePid));
        assertTrue(alive(late), "the session the dry run did not show is untouched");
        assertTrue(alive(superPid), "the superuser's session is untouched");
        assertTrue(alive(ownPid), "pgops' own session is untouched");

        String correlation = done.getString("correlationId");
        List<EventEnvelope> events = await("the action's events on Kafka")
                .atMost(Deadlines.STATS)
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> KafkaTap.events(TestStack.get().kafkaBootstrap(), Topics.MAINTENANCE_COMMANDS).stream()
                                .filter(e -> correlation.equals(e.correlationId()))
                                .toList(),
                        l -> !l.isEmpty());
        EmergencyActionRequested command =
                (EmergencyActionRequested) events.getFirst().data();
        assertEquals(List.of(idlePid), command.pids());
        assertEquals("terminate-idle", command.action());
        assertEquals("emg-" + Tokens.ADMIN, events.getFirst().requester().principal());
        MaintenanceCompleted completed =
                KafkaTap.events(TestStack.get().kafkaBootstrap(), Topics.MAINTENANCE_EVENTS).stream()
                        .filter(e -> correlation.equals(e.correlationId()))
                        .map(EventEnvelope::data)
                        .filter(d -> d instanceof MaintenanceCompleted)
                        .map(MaintenanceCompleted.class::cast)
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no MaintenanceCompleted for pid " + idlePid));
        assertEquals("pid " + idlePid, completed.target());
        assertEquals("terminate-idle", completed.task());

        JsonPath again = post("terminate-idle", confirm, Tokens.ADMIN, 409);
        assertEquals("Not confirmed", again.getString("title"));
    }

    /**
     * Two instances given the same key (the service under test, and a second {@code EmergencyActions} built here with
     * the same configuration and a memory of its own, as a second instance behind a load balancer has): the token one
     * of them took is refused at the other, which signals nothing, and the primary's ledger names the first.
     */
    @Test
    void aSharedTokenIsTakenOnceAcrossInstances() {
        int pid = pid(open("emg_app", "emg-once"));
        Map<String, Object> criteria = Map.of("application", "emg-once");
        String token =
                dryRunListing("terminate-idle", body(1, criteria), List.of(pid)).getString("token");
        EmergencyActions second = new EmergencyActions(clusterNodes, policies, publisher);

        Map<String, Object> confirm = new HashMap<>(criteria);
        confirm.put("dryRun", false);
        confirm.put("token", token);
        String rowsBefore = tokenRows();
        JsonPath done = post("terminate-idle", body(1, confirm), Tokens.ADMIN, 200);
        assertEquals(List.of(pid), done.getList("sessions.pid", Integer.class));

        EmergencyCriteria same = new EmergencyCriteria(
                EmergencyAction.ofCode("terminate-idle").orElseThrow(),
                Duration.ofSeconds(1),
                null,
                null,
                "emg-once",
                Set.of());
        EmergencyActions.NotConfirmed refused = assertThrows(
                EmergencyActions.NotConfirmed.class,
                () -> second.confirm(
                        ClusterId.of("it"),
                        null,
                        same,
                        token,
                        null,
                        "the same confirmation, sent again to another instance",
                        new Requester("emg-" + Tokens.ADMIN, List.of(Tokens.ADMIN))));
        assertTrue(refused.getMessage().contains("already used"), refused.getMessage());
        assertEquals(
                Integer.parseInt(rowsBefore) + 1,
                Integer.parseInt(tokenRows()),
                "one row on the primary for the token, the first instance's");
        assertEquals(
                "f",
                primary.sql("SELECT has_schema_privilege('public', 'pgops_ledger', 'USAGE')"),
                "nothing of the ledger granted to PUBLIC");
    }

    /** The primary's ledger rows of tokens taken (0 before any). */
    String tokenRows() {
        // the count as dynamic SQL (query_to_xml), run only once the table exists: a plain subquery is parsed first
        return primary.sql("SELECT CASE WHEN to_regclass('pgops_ledger.emergency_tokens') IS NULL THEN '0' ELSE"
                + " (xpath('/row/c/text()', query_to_xml('SELECT count(*) AS c FROM pgops_ledger.emergency_tokens',"
                + " false, true, '')))[1]::text END");
    }

    @Test
    void idleInTransactionHoldingALockIsTerminatedAndALongQueryCancelledWhileWalsendersAreSpared() {
        PgConnection holder = open("emg_app", "emg-idle-tx");
        int holderPid = pid(holder);
        run(holder, "BEGIN");
        run(holder, "UPDATE emg_locked SET v = v + 1 WHERE id = 1");
        PgConnection sleeper = open("emg_app", "emg-sleep");
        int sleeperPid = pid(sleeper);
        CompletableFuture<?> sleeping =
                sleeper.query("SELECT pg_sleep(600)").execute().subscribeAsCompletionStage();

        JsonPath dryTx =
                dryRunListing("terminate-idle-in-transaction", body(1, Map.of("user", "emg_app")), List.of(holderPid));
        JsonPath doneTx = post(
                "terminate-idle-in-transaction",
                body(1, Map.of("user", "emg_app", "dryRun", false, "token", dryTx.getString("token"))),
                Tokens.ADMIN,
                200);
        assertEquals("terminated", doneTx.getString("sessions[0].outcome"));
        // the row lock went with the transaction: a writer gets it at once
        assertEquals(
                "1", primary.sql("SET lock_timeout = '5s'; UPDATE emg_locked SET v = 0 WHERE id = 1 RETURNING id;"));

        JsonPath dryQ = dryRunListing("cancel-long-queries", body(1, Map.of()), List.of(sleeperPid));
        List<Integer> walsenders = walsenders();
        assertFalse(walsenders.isEmpty(), "the test cluster streams to its standbys");
        List<Integer> spared = dryQ.getList("spared.find { it.reason.startsWith('replication') }.pids", Integer.class);
        assertTrue(spared != null && spared.containsAll(walsenders), "walsenders spared: " + dryQ.prettify());
        JsonPath doneQ = post(
                "cancel-long-queries",
                body(1, Map.of("dryRun", false, "token", dryQ.getString("token"), "pids", List.of(sleeperPid))),
                Tokens.ADMIN,
                200);
        assertEquals("cancelled", doneQ.getString("sessions[0].outcome"));
        await("pg_sleep cancelled").atMost(Deadlines.STATS).until(sleeping::isDone);
        assertTrue(sleeping.isCompletedExceptionally());
        assertEquals(sleeperPid, pid(sleeper), "a cancelled query leaves its session alive");
        walsenders.forEach(p -> assertTrue(alive(p), "walsender " + p + " untouched"));
    }

    @Test
    void aSessionThatChangedAfterTheDryRunIsNotHit() {
        PgConnection changing = open("emg_app", "emg-changing");
        int pid = pid(changing);
        JsonPath dry = dryRunListing("terminate-idle", body(1, Map.of("application", "emg-changing")), List.of(pid));
        changing.query("SELECT pg_sleep(600)").execute().subscribeAsCompletionStage();
        await("the session active")
                .atMost(Deadlines.STATS)
                .until(() -> primary.sql("SELECT state FROM pg_stat_activity WHERE pid = " + pid)
                        .equals("active"));
        JsonPath done = post(
                "terminate-idle",
                body(1, Map.of("application", "emg-changing", "dryRun", false, "token", dry.getString("token"))),
                Tokens.ADMIN,
                200);
        assertEquals(List.of(), done.getList("sessions"));
        assertEquals(pid, done.getInt("missed[0].pid"));
        assertTrue(done.getString("missed[0].reason").startsWith("changed since the dry run"), done.prettify());
        assertTrue(alive(pid));
        primary.sql("SELECT pg_cancel_backend(" + pid + ")");
    }

    @Test
    void badThresholdsAndUnknownNamesAreRefusedAndARealRunNeedsAToken() {
        for (Object bad : new Object[] {0, -5, 2_592_001, "soon"}) {
            given().contentType(ContentType.JSON)
                    .body(Map.of("longerThanSeconds", bad, "reason", "bad threshold"))
                    .post("/clusters/it/emergency/terminate-idle")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json");
        }
        given().contentType(ContentType.JSON)
                .body(Map.of("reason", "no threshold"))
                .post("/clusters/it/emergency/terminate-idle")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .body(body(60, Map.of()))
                .post("/clusters/it/emergency/terminate-everyone")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        post("terminate-idle", body(60, Map.of("database", "no_such_db")), Tokens.OPERATOR, 422);
        JsonPath noToken = post("terminate-idle", body(60, Map.of("dryRun", false)), Tokens.ADMIN, 400);
        assertTrue(noToken.getString("detail").contains("token"), noToken.prettify());
        post("terminate-idle", body(60, Map.of("dryRun", false, "token", "forged")), Tokens.ADMIN, 400);
        JsonPath forged = post(
                "terminate-idle", body(60, Map.of("dryRun", false, "token", "Zm9yZ2Vk.Zm9yZ2Vk")), Tokens.ADMIN, 409);
        assertNull(forged.get("sessions"));
        // a real dry run's token with one character of what it names changed: its signature no longer matches
        String real =
                post("terminate-idle", body(60, Map.of()), Tokens.OPERATOR, 200).getString("token");
        char c = real.charAt(20);
        String altered = real.substring(0, 20) + (c == 'A' ? 'B' : 'A') + real.substring(21);
        post("terminate-idle", body(60, Map.of("dryRun", false, "token", altered)), Tokens.ADMIN, 409);
        given().contentType(ContentType.JSON)
                .body(body(60, Map.of()))
                .post("/clusters/nope/emergency/terminate-idle")
                .then()
                .statusCode(404)
                .body("title", equalTo("Unknown cluster"));
    }
}
