package io.pgops.replication.it;

import static io.pgops.replication.it.ReplicationHarness.json;
import static io.pgops.replication.it.ReplicationHarness.post;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pgops.stack.postgres.PgNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The switchover benchmark (run on demand, see bench/README.md): N planned switchovers of a
 * real 3-node cluster through the coordinator, under a steady write load through PgBouncer, each to
 * the next node in turn. Prints min / median / max of the writer's longest pause and of the command's
 * total time, and the acknowledged rows lost (asserted 0: the one claim the harness checks).
 */
class SwitchoverBench {
    @Test
    void switchoversUnderWriteLoad() {
        int n = Integer.getInteger("pgops.bench.switchovers", 5);
        ReplicationHarness h = new ReplicationHarness("bench", 1);
        h.awaitSettledOn(h.name(1));
        List<Long> pauses = new ArrayList<>();
        List<Long> commands = new ArrayList<>();
        PgNode primary = h.node(1);
        try (ReplicationHarness.Writer w = h.new Writer("bench_load")) {
            w.awaitAcked(100);
            for (int i = 0; i < n; i++) {
                PgNode target = h.nodes.get((h.nodes.indexOf(primary) + 1) % h.nodes.size());
                w.awaitAcked(50);
                w.resetPause();
                long t0 = System.nanoTime();
                HttpResponse<String> r = post(
                        h.api() + "/clusters/bench/switchover?wait=120",
                        "{\"target\":\"" + target.name() + "\",\"reason\":\"bench " + (i + 1) + "\"}",
                        "bench");
                long commandMillis = (System.nanoTime() - t0) / 1_000_000;
                assertEquals(200, r.statusCode(), r.body());
                assertEquals("completed", json(r).path("status").asText(), r.body());
                w.awaitAcked(50);
                pauses.add(w.longestPauseMillis());
                commands.add(commandMillis);
                System.out.printf(
                        "switchover %d/%d %s -> %s: command %d ms, writer's longest pause %d ms; %s%n",
                        i + 1,
                        n,
                        primary.name(),
                        target.name(),
                        commandMillis,
                        w.longestPauseMillis(),
                        json(r).path("outcome").path("reason").asText());
                primary = target;
                h.awaitSettledOn(primary.name());
            }
            w.close();
            List<Long> lost = ReplicationHarness.missing(primary, "bench_load", w.acked);
            System.out.printf(
                    "%n%d switchovers, %d rows acknowledged:%n  writer's longest pause ms: %s%n"
                            + "  command total time ms:     %s%n  acknowledged rows lost: %d%n",
                    n, w.acked.size(), stats(pauses), stats(commands), lost.size());
            assertEquals(List.of(), lost, "acknowledged rows lost");
        }
    }

    private static String stats(List<Long> values) {
        List<Long> v = new ArrayList<>(values);
        Collections.sort(v);
        long median = v.size() % 2 == 1 ? v.get(v.size() / 2) : (v.get(v.size() / 2 - 1) + v.get(v.size() / 2)) / 2;
        return "min " + v.getFirst() + " / median " + median + " / max " + v.getLast();
    }
}
