package io.pgops.replication.it;

import static io.pgops.replication.it.ReplicationHarness.json;
import static io.pgops.replication.it.ReplicationHarness.post;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Two replication-service instances in the coordinators' group: when the one deciding for the cluster
 * is killed with SIGKILL, the other takes the cluster over with a higher term and serves the next
 * command.
 */
class CoordinatorTakeoverIT {

    /** The index of the coordinator that lists tk among its clusters, or -1. */
    private static int owner(ReplicationHarness h) {
        for (int i = 0; i < 2; i++) {
            JsonNode c = json(ReplicationHarness.get(h.coordinators.get(i) + "/coordinator"));
            if (c.path("clusters").toString().contains("\"tk\"")) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aKilledCoordinatorIsReplacedWithAHigherTermThatServesTheNextCommand() {
        ReplicationHarness h = new ReplicationHarness("tk", 2);
        h.awaitSettledOn(h.name(1));
        // the second coordinator's join can still be moving the partition (cooperative rebalance)
        int[] owners = new int[1];
        await("one coordinator to own tk").atMost(Duration.ofSeconds(30)).until(() -> (owners[0] = owner(h)) >= 0);
        int owner = owners[0];
        int other = 1 - owner;
        String otherInstance = json(ReplicationHarness.get(h.coordinators.get(other) + "/coordinator"))
                .path("instance")
                .asText();
        long term = h.term();

        h.stack.killService(h.coordinatorNames.get(owner));
        await("the other coordinator to take tk over with a higher term")
                .atMost(ReplicationHarness.SETTLE)
                .until(() -> h.topology()
                        .map(t -> t.path("term").asLong() > term
                                && otherInstance.equals(t.path("coordinator").asText()))
                        .orElse(false));

        HttpResponse<String> r = post(
                h.coordinators.get(other) + "/clusters/tk/switchover?wait=120",
                "{\"target\":\"" + h.name(2) + "\",\"reason\":\"after the takeover\"}",
                "erin");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(h.name(2), json(r).path("outcome").path("newPrimary").asText());
        assertNotEquals(term, h.term());
        h.awaitSettledOn(h.name(2));
    }
}
