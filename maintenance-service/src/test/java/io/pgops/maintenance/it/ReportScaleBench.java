package io.pgops.maintenance.it;

import static io.restassured.RestAssured.given;

import io.pgops.stack.auth.Tokens;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.testkit.PgopsTestResource;
import io.pgops.stack.testkit.RestAuth;
import io.pgops.stack.testkit.ScaleDatabase;
import io.pgops.stack.testkit.TestStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How long each report takes on a catalogue of 10,000 tables and 20,000 indexes (issue 19's scale goal: under 2 s
 * each). Builds the catalogue on the test kit's primary with {@link ScaleDatabase}, then asks every report
 * {@code pgops.bench.rounds} times after one warm-up and prints the wall time seen by the client (min, median,
 * max) and the time the service measured itself ({@code millis}). Asserts nothing about time; not run by {@code
 * verify} (run it by name, see {@code maintenance-service/bench/README.md}).
 */
@QuarkusTest
@QuarkusTestResource(
        value = PgopsTestResource.class,
        initArgs = @ResourceArg(name = "cluster", value = "true"),
        restrictToAnnotatedClass = true)
class ReportScaleBench {
    private static final List<String> REPORTS =
            List.of("vacuum-candidates", "indexes", "bloat", "work-mem", "connections", "blocking", "top-queries");

    @Test
    void printsEachReportsTimeOnALargeCatalogue() {
        int tables = Integer.getInteger("pgops.bench.tables", 10_000);
        int rounds = Integer.getInteger("pgops.bench.rounds", 5);
        PgNode primary = TestStack.get().cluster().getFirst();
        long built = ScaleDatabase.build(primary, "scale", tables);
        System.out.printf(
                "ReportScaleBench: built %s in %.1f s; load average %s%n",
                ScaleDatabase.counts(primary, "scale"), built / 1000.0, loadAverage());
        String token = RestAuth.header("bench", Tokens.VIEWER);
        System.out.printf(
                "%-18s %6s %10s %10s %10s %12s %10s%n",
                "report", "status", "min ms", "median ms", "max ms", "service ms", "bytes");
        for (String report : REPORTS) {
            String path = "/clusters/it/reports/" + report;
            ask(token, path); // warm-up: connection, plan caches
            List<Long> wall = new ArrayList<>();
            List<Long> service = new ArrayList<>();
            int status = 0;
            int bytes = 0;
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                Response r = ask(token, path);
                wall.add((System.nanoTime() - t0) / 1_000_000);
                status = r.statusCode();
                bytes = r.asByteArray().length;
                Object millis = status == 200 ? r.jsonPath().get("millis") : null;
                service.add(millis == null ? -1L : ((Number) millis).longValue());
                if (report.equals("bloat") && status == 200 && i == 0) {
                    System.out.printf(
                            "ReportScaleBench: the bloat report lists %d tables and %d indexes%n",
                            r.jsonPath().getList("body.tables").size(),
                            r.jsonPath().getList("body.indexes").size());
                }
            }
            Collections.sort(wall);
            Collections.sort(service);
            System.out.printf(
                    "%-18s %6d %10d %10d %10d %12d %10d%n",
                    report,
                    status,
                    wall.getFirst(),
                    wall.get(wall.size() / 2),
                    wall.getLast(),
                    service.get(service.size() / 2),
                    bytes);
        }
        System.out.printf("ReportScaleBench: done; load average %s%n", loadAverage());
    }

    private static Response ask(String token, String path) {
        return given().header(RestAuth.AUTHORIZATION, token).get(path);
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                    .strip();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
