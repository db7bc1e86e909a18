package io.pgops.maintenance.it;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.EventEnvelope;
import io.pgops.events.Topics;
import io.pgops.events.maintenance.RoleProvisioned;
import io.pgops.pgtools.Cmd;
import io.pgops.pgtools.PgBinaries;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 20's least-privilege roles on the test kit's real cluster: each role logs in over TCP with the password
 * handed over in its file and can do exactly what its purpose says.
 */
@QuarkusTest
@QuarkusTestResource(
        value = PgopsTestResource.class,
        initArgs = @ResourceArg(name = "cluster", value = "true"),
        restrictToAnnotatedClass = true)
class RoleProvisioningIT {
    final PgNode primary = TestStack.get().cluster().getFirst();

    @AfterEach
    void sendNoToken() {
        RestAuth.anonymous();
    }

    private static String body(String prefix, boolean rotate) {
        return "{\"database\":\"postgres\",\"prefix\":\"" + prefix + "\",\"rotatePasswords\":" + rotate
                + ",\"reason\":\"least-privilege accounts for the shop\"}";
    }

    /** Runs {@code sql} as {@code role} over TCP with {@code password}: its exit code and output. */
    private Cmd.Result as(String role, String password, String sql) {
        return Cmd.of(
                        PgBinaries.locate().tool("psql"),
                        "-h",
                        "127.0.0.1",
                        "-p",
                        Integer.toString(primary.port()),
                        "-U",
                        role,
                        "-d",
                        "postgres",
                        "-v",
                        "ON_ERROR_STOP=1",
                        "-Atc",
                        sql)
                .env("PGPASSWORD", password)
                .env("PGCONNECT_TIMEOUT", "10")
                .tryRun();
    }

    @Test
    void anAdminProvisionsRolesThatLogInWithTheirHandedOverPasswordsAndMayDoOnlyTheirPurpose() throws Exception {
        primary.sql("DROP TABLE IF EXISTS rp_orders; CREATE TABLE rp_orders (id int PRIMARY KEY, note text);"
                + " GRANT CREATE ON SCHEMA public TO PUBLIC;");
        RestAuth.as(Tokens.ADMIN);
        JsonPath r = given().contentType(ContentType.JSON)
                .body(body("rp", false))
                .post("/clusters/it/roles")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(
                List.of("rp_app", "rp_readonly", "rp_backup", "rp_replica", "rp_monitor"), r.getList("roles.role"));
        assertEquals(List.of("created", "created", "created", "created", "created"), r.getList("roles.action"));
        String raw = given().contentType(ContentType.JSON)
                .body(body("rp", true))
                .post("/clusters/it/roles")
                .asString(); // rotated: new files, and the answer still holds no password
        JsonPath rotated = JsonPath.from(raw);
        assertEquals("password-rotated", rotated.getString("roles[0].action"));

        Path appFile = Path.of(rotated.getString("roles.find { it.role == 'rp_app' }.passwordFile"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(appFile)));
        String app = Files.readString(appFile).trim();
        String readonly = Files.readString(
                        Path.of(rotated.getString("roles.find { it.role == 'rp_readonly' }.passwordFile")))
                .trim();
        String monitor = Files.readString(
                        Path.of(rotated.getString("roles.find { it.role == 'rp_monitor' }.passwordFile")))
                .trim();
        assertFalse(raw.contains(app) || raw.contains(readonly), "no password in the answer");

        // app: DML yes, DDL no (CREATE on public revoked from PUBLIC)
        Cmd.Result dml = as("rp_app", app, "INSERT INTO rp_orders VALUES (1, 'a'); SELECT count(*) FROM rp_orders");
        assertEquals(0, dml.exitCode(), dml.output());
        assertEquals("1", dml.output().lines().reduce((a, b) -> b).orElse("").trim(), dml.output());
        Cmd.Result ddl = as("rp_app", app, "CREATE TABLE rp_mine (id int)");
        assertTrue(ddl.exitCode() != 0 && ddl.output().contains("permission denied"), ddl.output());
        Cmd.Result drop = as("rp_app", app, "DROP TABLE rp_orders");
        assertTrue(drop.exitCode() != 0 && drop.output().contains("must be owner"), drop.output());
        // readonly: SELECT yes, INSERT no
        assertEquals(
                0, as("rp_readonly", readonly, "SELECT count(*) FROM rp_orders").exitCode());
        Cmd.Result write = as("rp_readonly", readonly, "INSERT INTO rp_orders VALUES (2, 'b')");
        assertTrue(write.exitCode() != 0 && write.output().contains("permission denied"), write.output());
        // monitor: pg_monitor's statistics, no table
        Cmd.Result stats = as("rp_monitor", monitor, "SELECT count(*) >= 0 FROM pg_stat_activity WHERE query <> ''");
        assertEquals(0, stats.exitCode(), stats.output());
        assertTrue(as("rp_monitor", monitor, "SELECT * FROM rp_orders").exitCode() != 0);
        // the rest from the catalogue: replication roles, no superuser anywhere, the verifier stored as scram
        assertEquals(
                "rp_backup:true,rp_replica:true,rp_app:false,rp_monitor:false,rp_readonly:false",
                primary.sql("SELECT string_agg(rolname || ':' || rolreplication, ',' ORDER BY rolreplication DESC,"
                        + " rolname) FROM pg_roles WHERE rolname LIKE 'rp\\_%' AND NOT rolsuper"));
        assertEquals(
                "5",
                primary.sql("SELECT count(*) FROM pg_authid WHERE rolname LIKE 'rp\\_%'"
                        + " AND rolpassword LIKE 'SCRAM-SHA-256$4096:%'"));
        assertEquals("f", primary.sql("SELECT has_schema_privilege('public', 'public', 'CREATE')"));

        // again without rotation: attributes and grants ensured, passwords kept (the old file still logs in)
        JsonPath again = given().contentType(ContentType.JSON)
                .body(body("rp", false))
                .post("/clusters/it/roles")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals("updated", again.getString("roles[0].action"));
        assertNull(again.getString("roles[0].passwordFile"));
        assertEquals(0, as("rp_app", app, "SELECT 1").exitCode());

        List<RoleProvisioned> events =
                KafkaTap.events(TestStack.get().kafkaBootstrap(), Topics.MAINTENANCE_EVENTS).stream()
                        .map(EventEnvelope::data)
                        .filter(d -> d instanceof RoleProvisioned p && p.role().startsWith("rp_"))
                        .map(RoleProvisioned.class::cast)
                        .toList();
        assertEquals(15, events.size(), events.toString());
        String all = KafkaTap.events(TestStack.get().kafkaBootstrap(), Topics.MAINTENANCE_EVENTS)
                .toString();
        assertFalse(all.contains(app), "no password on Kafka");
    }

    @Test
    void onlyAnAdminMayAndABadRequestChangesNothing() {
        RestAuth.as(Tokens.OPERATOR);
        given().contentType(ContentType.JSON)
                .body(body("rq", false))
                .post("/clusters/it/roles")
                .then()
                .statusCode(403);
        RestAuth.anonymous();
        given().contentType(ContentType.JSON)
                .body(body("rq", false))
                .post("/clusters/it/roles")
                .then()
                .statusCode(401);
        RestAuth.as(Tokens.ADMIN);
        given().contentType(ContentType.JSON)
                .body(body("Rq; DROP ROLE x", false))
                .post("/clusters/it/roles")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .body("{\"database\":\"no_such_db\",\"prefix\":\"rq\",\"reason\":\"x\"}")
                .post("/clusters/it/roles")
                .then()
                .statusCode(422)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .body(body("pgops", false))
                .post("/clusters/it/roles")
                .then()
                .statusCode(422);
        assertEquals(
                "0",
                primary.sql("SELECT count(*) FROM pg_roles WHERE rolname LIKE 'rq\\_%' OR rolname LIKE 'pgops\\_%'"));
    }
}
