package io.pgops.audit.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.audit.InMemoryAuditResource;
import io.pgops.audit.KafkaBatch;
import io.pgops.audit.Samples;
import io.pgops.audit.Trail;
import io.pgops.stack.auth.Tokens;
import io.pgops.stack.testkit.RestAuth;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(InMemoryAuditResource.class)
class AppendOnlyTest {

    @BeforeEach
    void sendATokenOfViewer() {
        RestAuth.as(Tokens.VIEWER);
    }

    @AfterEach
    void sendNoToken() {
        RestAuth.anonymous();
    }

    static final Instant T0 = Instant.parse("2026-11-25T02:15:00Z");

    @Inject
    @org.eclipse.microprofile.reactive.messaging.spi.Connector("smallrye-in-memory")
    InMemoryConnector connector;

    @Inject
    Pool pool;

    @Test
    void theServiceRoleCanNeitherUpdateNorDeleteNorTruncateTheTrail() {
        long seq = record("ro-" + System.nanoTime()).getFirst();
        for (String sql : List.of(
                "UPDATE audit_event SET node = 'x' WHERE seq = " + seq,
                "DELETE FROM audit_event WHERE seq = " + seq,
                "TRUNCATE audit_event")) {
            Throwable refused = assertThrows(
                    Exception.class, () -> pool.query(sql).execute().await().atMost(Duration.ofSeconds(10)), sql);
            assertTrue(refused.getMessage().contains("permission denied"), sql + ": " + refused.getMessage());
        }
        JsonPath guards = Trail.verify("from=" + seq).setRootPath("appendOnly");
        assertFalse(guards.getBoolean("serviceMayUpdate"));
        assertFalse(guards.getBoolean("serviceMayDelete"));
        assertFalse(guards.getBoolean("serviceMayTruncate"));
        assertTrue(guards.getBoolean("rejectTriggers"));
    }

    @Test
    void evenTheSuperuserIsRefusedByTheTriggersUnlessItBypassesThem() {
        long seq = record("su-" + System.nanoTime()).getFirst();
        for (String sql : List.of(
                "UPDATE audit_event SET node = 'x' WHERE seq = " + seq,
                "DELETE FROM audit_event WHERE seq = " + seq,
                "TRUNCATE audit_event")) {
            // psql fails with its own message (the test kit's command exception)
            RuntimeException refused = assertThrows(RuntimeException.class, () -> Trail.superuser(sql));
            assertTrue(refused.getMessage().contains("append-only"), sql + ": " + refused.getMessage());
        }
    }

    @Test
    void aRowAlteredDirectlyInSqlIsNamedByVerifyAsTheFirstBrokenLink() {
        List<Long> seqs = record("tamper-" + System.nanoTime());
        long victim = seqs.get(2);
        String original = Trail.superuser("SELECT encode(event, 'base64') FROM audit_event WHERE seq = " + victim)
                .replace("\n", "");
        try {
            Trail.superuser("SET session_replication_role = replica;\n"
                    + "UPDATE audit_event SET event = convert_to(replace(convert_from(event, 'UTF8'), 'db1', 'db7'),"
                    + " 'UTF8') WHERE seq = " + victim + ";");

            JsonPath v = Trail.verify("from=" + seqs.getFirst());
            assertFalse(v.getBoolean("intact"), v.prettify());
            assertEquals(victim, v.getLong("firstBroken.seq"), v.prettify());
            assertTrue(v.getString("firstBroken.reason").contains("hash does not match"), v.prettify());
            assertEquals(victim - 1, v.getLong("lastIntact.seq"), v.prettify());
        } finally {
            Trail.superuser("SET session_replication_role = replica;\n"
                    + "UPDATE audit_event SET event = decode('" + original + "', 'base64') WHERE seq = " + victim
                    + ";");
        }
        assertTrue(Trail.verify("from=" + seqs.getFirst()).getBoolean("intact"));
    }

    /** Records a failover story on a fresh cluster; its positions, oldest first. */
    private List<Long> record(String cluster) {
        KafkaBatch batch = KafkaBatch.of(Samples.failover(cluster, T0));
        connector.<Message<List<byte[]>>>source("audit-in").send(batch.message());
        batch.awaitAck();
        return Trail.events("cluster=" + cluster).stream()
                .map(r -> ((Number) r.get("seq")).longValue())
                .sorted()
                .toList();
    }
}
