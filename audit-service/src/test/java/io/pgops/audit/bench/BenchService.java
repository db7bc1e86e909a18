package io.pgops.audit.bench;

import io.pgops.stack.Http;
import io.pgops.stack.ServiceConfig;
import io.pgops.stack.auth.Tokens;
import io.pgops.stack.postgres.Secrets;
import io.pgops.stack.process.Daemons;
import io.pgops.stack.process.Ports;
import io.pgops.stack.testkit.TestStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged audit-service as a process with production JVM settings (full JIT; the test kit's
 * launcher trims the JIT for start-up speed, which would understate a throughput figure).
 */
final class BenchService implements AutoCloseable {
    private final Process process;
    final String url;

    BenchService(TestStack stack) {
        Path jar = Path.of(System.getProperty("pgops.repo.dir", ".."))
                .resolve("audit-service/target/quarkus-app/quarkus-run.jar")
                .toAbsolutePath()
                .normalize();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run the bench through `./mvnw verify`");
        }
        Map<String, String> config = new LinkedHashMap<>(stack.serviceConfig());
        int port = Ports.free();
        config.put("quarkus.http.port", Integer.toString(port));
        config.put("pgops.audit.checkpoint.interval", "10s");
        config.put(
                "mp.messaging.incoming.audit-in.max.poll.records",
                System.getProperty("pgops.bench.max-poll-records", "500"));
        Path file = stack.dir().resolve("audit-bench.properties");
        Secrets.writePrivate(file, ServiceConfig.properties("audit-service bench", config));
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = stack.dir().resolve("audit-bench.log");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m"));
        // extra JVM options for profiling, e.g.
        // -Dpgops.bench.jvm-options="-XX:StartFlightRecording=filename=/tmp/a.jfr"
        String extra = System.getProperty("pgops.bench.jvm-options", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-Dquarkus.config.locations=" + file.toUri(), "-jar", jar.toString()));
        process = Daemons.startChild(command, log, stack.dir());
        url = "http://127.0.0.1:" + port;
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Http.status(url + "/q/health/ready") != 200) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                close();
                throw new IllegalStateException("audit-service did not become ready:\n" + Daemons.tail(log, 30));
            }
            Bench.pause(Duration.ofMillis(200));
        }
    }

    /** CPU time the service process has used so far. */
    Duration cpu() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** The service's batch figures from /q/metrics: batches, mean size, mean decode and append time. */
    String batchFigures() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String line : Http.get(url + "/q/metrics", TestStack.bearer(Tokens.VIEWER))
                .body()
                .split("\n")) {
            for (String name : List.of(
                    "pgops_audit_batch_size_count",
                    "pgops_audit_batch_size_sum",
                    "pgops_audit_batch_decode_seconds_sum",
                    "pgops_audit_batch_append_seconds_sum",
                    "pgops_audit_batch_append_seconds_count",
                    "pgops_audit_append_rows_sum",
                    "pgops_audit_append_rows_count",
                    "pgops_audit_appends_total")) {
                if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                    String key = line.contains("way=\"locked\"") ? name + "_locked" : name;
                    m.put(key, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
                }
            }
        }
        double batches = m.getOrDefault("pgops_audit_batch_size_count", 0.0);
        double appends = m.getOrDefault("pgops_audit_batch_append_seconds_count", 0.0);
        return String.format(
                "%,.0f batches of %.0f records on average, decode %.1f ms per batch; %,.0f append transactions"
                        + " of %.0f events on average, %.1f ms each (%,.0f of them the locked way)",
                batches,
                m.getOrDefault("pgops_audit_batch_size_sum", 0.0) / Math.max(1, batches),
                1000 * m.getOrDefault("pgops_audit_batch_decode_seconds_sum", 0.0) / Math.max(1, batches),
                appends,
                m.getOrDefault("pgops_audit_append_rows_sum", 0.0)
                        / Math.max(1, m.getOrDefault("pgops_audit_append_rows_count", 0.0)),
                1000 * m.getOrDefault("pgops_audit_batch_append_seconds_sum", 0.0) / Math.max(1, appends),
                m.getOrDefault("pgops_audit_appends_total_locked", 0.0));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
