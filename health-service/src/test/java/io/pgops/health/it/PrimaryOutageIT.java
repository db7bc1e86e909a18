package io.pgops.health.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.EventEnvelope;
import io.pgops.events.health.NodeReachable;
import io.pgops.events.health.NodeUnreachable;
import io.pgops.events.health.PrimaryUnreachable;
import io.pgops.events.model.Role;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.postgres.PgTopology;
import io.pgops.stack.testkit.PgopsTestResource;
import io.pgops.stack.testkit.TestStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The primary of the real cluster stops and comes back; the cluster is left streaming as before. */
@QuarkusTest
@QuarkusTestResource(
        value = PgopsTestResource.class,
        initArgs = @ResourceArg(name = "cluster", value = "true"),
        restrictToAnnotatedClass = true)
@QuarkusTestResource(value = ItThresholds.class, restrictToAnnotatedClass = true)
class PrimaryOutageIT {
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
    void aStoppedPrimaryIsPrimaryUnreachableAndItsRestartIsNodeReachableInTheSameIncident() {
        List<PgNode> cluster = TestStack.get().cluster();
        PgNode primary = cluster.get(0);
        try (HealthEventsTap tap = new HealthEventsTap()) {
            await("node1 probed as primary first").atMost(Deadlines.BREACH).until(PrimaryOutageIT::probedAsPrimary);
            Instant start = Instant.now();
            primary.stop("immediate");
            EventEnvelope down;
            try {
                down = await("PrimaryUnreachable for node1 within N x interval")
                        .atMost(Deadlines.BREACH)
                        .until(
                                () -> tap.find(e -> e.data() instanceof PrimaryUnreachable p
                                        && p.node().value().equals("node1")
                                        && p.probedAt().isAfter(start)),
                                e -> e != null);
            } finally {
                primary.start();
            }
            PrimaryUnreachable p = (PrimaryUnreachable) down.data();
            assertTrue(p.consecutiveFailures() >= 3, "debounced: " + p.consecutiveFailures());
            assertTrue(p.lastKnownLsn() != null, "the last LSN seen is the failover's input");
            assertTrue(
                    tap.find(e -> e.data() instanceof NodeUnreachable
                                    && e.correlationId().equals(down.correlationId()))
                            != null,
                    "NodeUnreachable opens the same incident");

            EventEnvelope up = await("NodeReachable for node1 after its restart")
                    .atMost(Deadlines.RECOVERY)
                    .until(
                            () -> tap.find(e -> e.data() instanceof NodeReachable
                                    && e.correlationId().equals(down.correlationId())),
                            e -> e != null);
            assertEquals(Role.PRIMARY, ((NodeReachable) up.data()).role());
            assertTrue(((NodeReachable) up.data()).downtimeMillis() > 0);
        } finally {
            PgTopology.awaitReplication(primary, cluster.subList(1, 3), Duration.ofSeconds(60));
        }
    }

    private static boolean probedAsPrimary() {
        return "primary"
                .equals(RestAssured.get("/clusters/it/health")
                        .jsonPath()
                        .getString("nodes.find { it.node == 'node1' }.role"));
    }
}
