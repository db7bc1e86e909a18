package io.pgops.maintenance.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.EventEnvelope;
import io.pgops.events.Topics;
import io.pgops.events.maintenance.ConfigDriftDetected;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.events.replication.HostFactsReported;
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
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The configuration advisor on the test kit's real 3-node cluster (no host facts declared in its config). */
@QuarkusTest
@QuarkusTestResource(
        value = PgopsTestResource.class,
        initArgs = @ResourceArg(name = "cluster", value = "true"),
        restrictToAnnotatedClass = true)
class ConfigAdvisorIT {
    static final String FACTS =
            "{\"ram\":\"2GB\",\"cpus\":2,\"storage\":\"ssd\",\"connections\":50,\"workload\":\"web\"}";
    static final List<String> APPLIED = List.of("random_page_cost", "work_mem", "shared_buffers");

    final List<PgNode> cluster = TestStack.get().cluster();

    @AfterEach
    void resetWhatWasApplied() {
        RestAuth.anonymous();
        for (PgNode n : cluster) {
            for (String p : APPLIED) {
                n.sql("ALTER SYSTEM RESET " + p);
            }
            n.sql("SELECT pg_reload_conf()");
        }
    }

    @Test
    void withGivenFactsTheAdvisorNamesEachNodesDifferences() {
        RestAuth.as(Tokens.VIEWER);
        given().get("/clusters/it/config/advice?ram=2GB").then().statusCode(422);
        JsonPath a = given().get("/clusters/it/config/advice?ram=2GB&cpus=2&storage=ssd&connections=50&workload=web")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(3, a.getList("nodes").size());
        for (PgNode n : cluster) {
            String path = "nodes.find { it.node == '" + n.name() + "' }.drifts.find { it.name == 'random_page_cost' }";
            assertEquals("1.1", a.getString(path + ".recommended"), a.prettify());
            assertEquals(n.sql("SHOW random_page_cost"), a.getString(path + ".actual"));
        }
    }

    @Test
    void aCheckPublishesTheDriftAndAnAdminsApplyTakesEffectOnEveryNodeOrSaysItWaitsForARestart() {
        RestAuth.as(Tokens.OPERATOR);
        given().contentType(ContentType.JSON)
                .body("{\"facts\":" + FACTS + ",\"reason\":\"review\"}")
                .post("/clusters/it/config/check")
                .then()
                .statusCode(200);
        await("ConfigDriftDetected for random_page_cost on every node")
                .atMost(Duration.ofSeconds(30))
                .until(() -> drifted("random_page_cost").containsAll(Set.of("node1", "node2", "node3")));
        String apply = "{\"facts\":" + FACTS + ",\"parameters\":[\"random_page_cost\",\"work_mem\",\"shared_buffers\"],"
                + "\"reason\":\"tune for SSD\"}";
        given().contentType(ContentType.JSON)
                .body(apply)
                .post("/clusters/it/config/apply")
                .then()
                .statusCode(403);

        RestAuth.as(Tokens.ADMIN);
        given().contentType(ContentType.JSON)
                .body("{\"facts\":" + FACTS + ",\"parameters\":[\"fsync\"],\"reason\":\"x\"}")
                .post("/clusters/it/config/apply")
                .then()
                .statusCode(422);
        JsonPath r = given().contentType(ContentType.JSON)
                .body(apply)
                .post("/clusters/it/config/apply")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        for (PgNode n : cluster) {
            String node = "find { it.node == '" + n.name() + "' }";
            assertEquals(null, r.getString(node + ".failed"), r.prettify());
            assertTrue(r.getString(node + ".parameters.random_page_cost").contains("in effect"), r.prettify());
            assertEquals(List.of("shared_buffers"), r.getList(node + ".pendingRestart"), r.prettify());
            assertEquals("1.1", n.sql("SHOW random_page_cost"), n.name());
            assertEquals("t", n.sql("SELECT pending_restart FROM pg_settings WHERE name = 'shared_buffers'"));
        }
    }

    private Set<String> drifted(String parameter) {
        return KafkaTap.events(TestStack.get().kafkaBootstrap(), Topics.MAINTENANCE_EVENTS).stream()
                .map(EventEnvelope::data)
                .filter(d -> d instanceof ConfigDriftDetected c && c.parameter().equals(parameter))
                .map(d -> ((ConfigDriftDetected) d).node().value())
                .collect(Collectors.toSet());
    }

    /**
     * Issue 19: the agents' {@code HostFactsReported} (node1 with this machine's own values, read as {@code cat} reads
     * them), through the real broker after a record that cannot be decoded, make the host report and let the advisor
     * answer without declared facts, sized for the smallest host.
     */
    @Test
    void withoutDeclaredFactsTheAdvisorWaitsForTheAgentsReportsThenSizesForTheSmallestHost() throws Exception {
        RestAuth.as(Tokens.VIEWER);
        given().get("/clusters/it/config/advice").then().statusCode(409).contentType("application/problem+json");
        given().get("/clusters/it/reports/host")
                .then()
                .statusCode(200)
                .body("nodes.size()", org.hamcrest.Matchers.is(3));
        given().get("/clusters/nope/reports/host").then().statusCode(404);

        int swappiness = Integer.parseInt(cat("/proc/sys/vm/swappiness"));
        int overcommit = Integer.parseInt(cat("/proc/sys/vm/overcommit_memory"));
        long ram = Long.parseLong(cat("/proc/meminfo")
                        .lines()
                        .filter(l -> l.startsWith("MemTotal:"))
                        .findFirst()
                        .orElseThrow()
                        .replaceAll("[^0-9]", ""))
                * 1024;
        java.time.Instant now = java.time.Instant.now();
        AgentRecords.publishGarbage();
        AgentRecords.publish(new HostFactsReported(
                ClusterId.of("it"),
                NodeName.of("node1"),
                ram,
                Runtime.getRuntime().availableProcessors(),
                swappiness,
                overcommit,
                50,
                "never",
                "/data/node1",
                "/",
                "rw,relatime",
                "ssd",
                now));
        AgentRecords.publish(new HostFactsReported(
                ClusterId.of("it"),
                NodeName.of("node2"),
                2L << 30,
                2,
                1,
                2,
                80,
                "never",
                "/data/node2",
                "/data",
                "rw,noatime",
                "ssd",
                now));
        AgentRecords.publish(new HostFactsReported(
                ClusterId.of("it"),
                NodeName.of("node3"),
                4L << 30,
                4,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                "unknown",
                now));

        JsonPath host = await("the three nodes' host facts in the host report")
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> given().get("/clusters/it/reports/host")
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath(),
                        j -> j.getList("nodes.findAll { it.missing == null }").size() == 3);
        String node1 = "nodes.find { it.node == 'node1' }.settings.find { it.setting == 'vm.swappiness' }";
        assertEquals(String.valueOf(swappiness), host.getString(node1 + ".value"), host.prettify());
        assertEquals(swappiness <= 10 ? "OK" : "CHANGE", host.getString(node1 + ".status"));
        assertEquals(
                "OK",
                host.getString("nodes.find { it.node == 'node2' }.settings.find { it.setting.startsWith('data"
                        + " directory mount') }.status"));
        assertEquals(
                "UNKNOWN",
                host.getString("nodes.find { it.node == 'node3' }.settings.find { it.setting == 'vm.swappiness' }"
                        + ".status"));

        JsonPath a = given().get("/clusters/it/config/advice")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(2L << 30, a.getLong("facts.ramBytes"), a.prettify());
        assertEquals(2, a.getInt("facts.cpus"));
        assertEquals("HDD", a.getString("facts.storage"), "node3's disk is unknown");
        assertTrue(
                a.getString("facts.source").startsWith("reported by the agents of node1, node2, node3"), a.prettify());
        assertEquals(
                Integer.parseInt(cluster.getFirst().sql("SHOW max_connections")),
                a.getInt("facts.connections"),
                "the primary's max_connections");
        assertTrue(a.getString("facts.source").contains("(max_connections of node1)"), a.prettify());
        assertEquals(3, a.getList("nodes").size());

        // a check publishes the host settings to change as differences of their own (source "host"): node1's
        // relatime mount, never node2's tuned host
        RestAuth.as(Tokens.OPERATOR);
        given().contentType(ContentType.JSON)
                .body("{\"reason\":\"review the hosts\"}")
                .post("/clusters/it/config/check")
                .then()
                .statusCode(200);
        ConfigDriftDetected mount = await("ConfigDriftDetected of node1's data directory mount")
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> hostDrifts().stream()
                                .filter(c -> c.node().value().equals("node1")
                                        && c.parameter().startsWith("data directory mount"))
                                .findFirst()
                                .orElse(null),
                        java.util.Objects::nonNull);
        assertEquals("rw,relatime", mount.actual());
        assertEquals("noatime", mount.expected());
        assertTrue(!mount.pendingRestart() && mount.reason().contains("node1's host"), mount.reason());
        assertEquals(
                List.of(),
                hostDrifts().stream()
                        .filter(c -> c.node().value().equals("node2"))
                        .toList(),
                "node2's host is tuned");
    }

    private static List<ConfigDriftDetected> hostDrifts() {
        return KafkaTap.events(TestStack.get().kafkaBootstrap(), Topics.MAINTENANCE_EVENTS).stream()
                .map(EventEnvelope::data)
                .filter(d -> d instanceof ConfigDriftDetected c && "host".equals(c.source()))
                .map(d -> (ConfigDriftDetected) d)
                .toList();
    }

    private static String cat(String file) throws java.io.IOException {
        Process p = new ProcessBuilder("cat", file).start();
        return new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
    }
}
