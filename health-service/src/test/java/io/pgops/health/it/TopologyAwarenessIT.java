package io.pgops.health.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pgops.events.EventEnvelope;
import io.pgops.events.health.LagExceeded;
import io.pgops.events.health.LagRecovered;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.testkit.PgopsTestResource;
import io.pgops.stack.testkit.TestStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Topology records published on the compacted pgops.topology, as the replication service will:
 * while a change of primary is in progress the replication checks hold still, so a switchover is
 * not a breach storm; once the topology settles they are judged again.
 */
@QuarkusTest
@QuarkusTestResource(
        value = PgopsTestResource.class,
        initArgs = @ResourceArg(name = "cluster", value = "true"),
        restrictToAnnotatedClass = true)
@QuarkusTestResource(value = ItThresholds.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TopologyAwarenessIT {
    // the health-service's reads need a viewer's token (issue 20)
    @org.junit.jupiter.api.BeforeEach
    void asViewer() {
        io.pgops.stack.testkit.RestAuth.as(io.pgops.stack.auth.Tokens.VIEWER);
    }

    @org.junit.jupiter.api.AfterEach
    void anonymousAgain() {
        io.pgops.stack.testkit.RestAuth.anonymous();
    }

    @Test
    @Order(1)
    void givenASwitchoverInProgressALaggingStandbyRaisesNothingUntilTheTopologySettles() throws Exception {
        List<PgNode> cluster = TestStack.get().cluster();
        PgNode primary = cluster.get(0);
        PgNode node3 = cluster.get(2);
        long term = 1000 + Instant.now().getEpochSecond() % 100_000;
        Instant start = Instant.now();
        try (HealthEventsTap tap = new HealthEventsTap()) {
            await("every node probed")
                    .ignoreExceptions()
                    .atMost(Deadlines.BREACH)
                    .until(() -> RestAssured.get("/clusters/it/health")
                                    .jsonPath()
                                    .getList("nodes.findAll { it.probedAt != null }")
                                    .size()
                            == 3);
            ItEvents.publish(ItEvents.topology(term, "node2", null, cluster, "switchover to node2 in progress"));
            await("the in-progress topology consumed: replication checks settle")
                    .ignoreExceptions()
                    .atMost(Deadlines.BREACH)
                    .until(() ->
                            RestAssured.get("/clusters/it/health").jsonPath().getLong("topology.term") == term
                                    && RestAssured.get("/clusters/it/health")
                                            .jsonPath()
                                            .getBoolean("settling"));

            primary.sql("CREATE TABLE IF NOT EXISTS health_it_topology (id int, pad text)");
            node3.sql("SELECT pg_wal_replay_pause()");
            try {
                await("node3 more than the limit behind")
                        .atMost(Deadlines.BREACH)
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> {
                            primary.sql("INSERT INTO health_it_topology SELECT g, repeat('x', 200)"
                                    + " FROM generate_series(1, 5000) g");
                            return Long.parseLong(primary.sql("SELECT (pg_current_wal_lsn() - replay_lsn)::bigint"
                                            + " FROM pg_stat_replication WHERE application_name = 'node3'"))
                                    > 2 * ItThresholds.LAG_BYTES;
                        });
                await("no LagExceeded while the switchover is in progress")
                        .during(Deadlines.QUIET)
                        .atMost(Deadlines.QUIET.plusSeconds(5))
                        .until(() -> tap.find(e -> e.data() instanceof LagExceeded l
                                        && l.node().value().equals("node3")
                                        && l.probedAt().isAfter(start))
                                == null);

                ItEvents.publish(
                        ItEvents.topology(term + 1, "node1", "node1", cluster, "switchover cancelled: node1 stays"));
                EventEnvelope exceeded = await("LagExceeded once the topology settled on node1")
                        .atMost(Deadlines.BREACH)
                        .until(
                                () -> tap.find(e -> e.data() instanceof LagExceeded l
                                        && l.node().value().equals("node3")
                                        && l.probedAt().isAfter(start)),
                                e -> e != null);
                assertEquals("node1", ((LagExceeded) exceeded.data()).primary().value());
            } finally {
                node3.sql("SELECT pg_wal_replay_resume()");
            }
            // leave the cluster and the watch as found: replay caught up, the lag incident closed
            await("LagRecovered once replay resumed")
                    .atMost(Deadlines.RECOVERY)
                    .until(() -> tap.find(e -> e.data() instanceof LagRecovered l
                                    && l.node().value().equals("node3")
                                    && l.probedAt().isAfter(start))
                            != null);
            primary.sql("DROP TABLE health_it_topology");
        }
    }

    /**
     * A zombie coordinator's decision (a higher term naming another primary) written in a transaction its
     * successor aborted, then the real owner's committed topology of a lower term: the watch takes the
     * committed one. Read uncommitted, the aborted higher term would stay and the committed one be
     * ignored as older.
     */
    @Test
    @Order(2)
    void aTopologyWhoseTransactionAbortedIsNeverTakenTheNextCommittedOneIs() throws Exception {
        List<PgNode> cluster = TestStack.get().cluster();
        long current = await("the watch of cluster it")
                .ignoreExceptions()
                .atMost(Deadlines.BREACH)
                .until(TopologyAwarenessIT::term, t -> t >= 0);
        ItEvents.publishAborted(
                ItEvents.topology(current + 10, "node3", "node3", cluster, "a zombie's decision, aborted"));
        ItEvents.publish(ItEvents.topology(current + 1, "node1", "node1", cluster, "the owner's decision"));
        await("the committed topology of term " + (current + 1) + " taken")
                .ignoreExceptions()
                .atMost(Deadlines.BREACH)
                .until(() -> term() == current + 1);
        assertEquals(
                "node1",
                RestAssured.get("/clusters/it/health").jsonPath().getString("topology.targetPrimary"),
                "the aborted decision's primary was never taken");
    }

    /** The term of the topology the watch holds; 0 before any. */
    private static long term() {
        Object t = RestAssured.get("/clusters/it/health").jsonPath().get("topology.term");
        return t == null ? 0 : ((Number) t).longValue();
    }
}
