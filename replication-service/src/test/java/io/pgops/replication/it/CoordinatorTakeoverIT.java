package io.pgops.replication.it;

import static io.pgops.replication.it.ReplicationHarness.json;
import static io.pgops.replication.it.ReplicationHarness.post;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Two replication-service instances in the coordinators' group: when the one deciding for the cluster
 * is killed with SIGKILL, the other takes the cluster over with a higher term and serves the next
 * command.
 */
class CoordinatorTakeoverIT {

    @Test
    void aKilledCoordinatorIsReplacedWithAHigherTermThatServesTheNextCommand() {
        ReplicationHarness h = new ReplicationHarness("tk", 2);
        h.awaitSettledOn(h.name(1));
        int owner = h.awaitOwner();
        int other = 1 - owner;
        String otherInstance = h.instanceOf(other);
        long term = h.term();

        h.stack.killService(h.coordinatorNames.get(owner));
        await("the other coordinator to take tk over with a higher term")
                .atMost(ReplicationHarness.SETTLE)
                .until(() -> h.topology()
                        .map(t -> t.path("term").asLong() > term
                                && otherInstance.equals(t.path("coordinator").asText()))
                        .orElse(false));
        // a switchover needs a streaming target: wait until the new owner's topology shows the standbys streaming
        // (one CI run sent the command while tk-node2 was not, and it was refused, rightly, with no-eligible-candidate)
        long tookOver = System.nanoTime();
        h.awaitSettledOn(h.name(1));
        System.out.printf(
                "takeover: the new owner's topology showed every standby streaming %d ms after it took over%n",
                (System.nanoTime() - tookOver) / 1_000_000);

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
