package io.pgops.health.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pgops.events.health.NodeUnreachable;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.testkit.PgopsTestResource;
import io.pgops.stack.testkit.TestStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The async standby of the real cluster stalls (SIGSTOP) for one failed probe at a time, answering
 * in between: fail, pass, fail, pass… With 3 failures needed to breach, nothing is raised.
 */
@QuarkusTest
@QuarkusTestResource(
        value = PgopsTestResource.class,
        initArgs = @ResourceArg(name = "cluster", value = "true"),
        restrictToAnnotatedClass = true)
@QuarkusTestResource(value = ItThresholds.class, restrictToAnnotatedClass = true)
class FlappingNodeIT {
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
    void aNodeThatFailsOneProbeAtATimeRaisesNothing() {
        PgNode node3 = TestStack.get().cluster().get(2);
        Instant start = Instant.now();
        try (HealthEventsTap tap = new HealthEventsTap()) {
            await("node3 answering").atMost(Deadlines.BREACH).until(() -> reachable(node3));
            for (int flap = 0; flap < 3; flap++) {
                node3.pause();
                try {
                    await("a failed probe of the stalled node3")
                            .atMost(Deadlines.BREACH)
                            .pollInterval(Duration.ofMillis(100))
                            .until(() -> !reachable(node3));
                } finally {
                    node3.resume();
                }
                await("node3 answering again")
                        .atMost(Deadlines.RECOVERY)
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> reachable(node3));
            }
            await("no NodeUnreachable for node3")
                    .during(Deadlines.QUIET)
                    .atMost(Deadlines.QUIET.plusSeconds(5))
                    .until(() -> tap.find(e -> e.data() instanceof NodeUnreachable u
                                    && u.node().value().equals("node3")
                                    && u.probedAt().isAfter(start))
                            == null);
            assertEquals(
                    false,
                    RestAssured.get("/clusters/it/health")
                            .jsonPath()
                            .getBoolean("nodes.find { it.node == 'node3' }.declaredUnreachable"));
        } finally {
            node3.resume();
        }
    }

    private static boolean reachable(PgNode node) {
        return RestAssured.get("/clusters/it/health")
                .jsonPath()
                .getBoolean("nodes.find { it.node == '" + node.name() + "' }.reachable");
    }
}
