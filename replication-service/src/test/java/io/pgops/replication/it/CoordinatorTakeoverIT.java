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
 * command. The primary keeps running throughout: it is killed as soon as its takeover shows, before it answered any
 * of the primary's lease requests, so the primary's lease rests on the failsafe and the takeover's credential.
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

        long postmaster = h.node(1).pid().orElseThrow();
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
        // the owner died as soon as its takeover showed, before it answered any lease request: the primary lives
        // on its failsafe, which holds with the credential of the new term the takeover handed it (before, the
        // other agents refused its old term's credential and the primary was stopped at the lease's end)
        assertEquals(
                postmaster,
                h.node(1).pid().orElse(-1),
                "the primary kept running through the takeovers, the same postmaster");

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
