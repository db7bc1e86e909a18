package io.pgops.health.service;

import com.sun.management.OperatingSystemMXBean;
import io.pgops.events.model.NodeName;
import io.pgops.health.domain.Thresholds;
import io.pgops.health.domain.sample.NodeSample;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.postgres.PgTopology;
import io.pgops.stack.testkit.TestStack;
import io.vertx.mutiny.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The probe-cost harness of issue 8 (not a test: it prints figures and asserts nothing about time).
 * For each node of the test kit's real cluster it runs the full check set over one kept connection
 * with prepared, pipelined statements, and measures per probe: wall time, this JVM's CPU (the
 * client) and the CPU of the node's backend serving the connection ({@code /proc/<pid>/stat}
 * utime + stime; the node runs on this machine). Run it with:
 *
 * <pre>
 * ./mvnw -B -pl health-service verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=ProbeCostBench -Dpgops.bench.probes=3000
 * </pre>
 */
class ProbeCostBench {
    static final int PROBES = Integer.getInteger("pgops.bench.probes", 3000);
    static final int WARMUP = Integer.getInteger("pgops.bench.warmup", 500);
    static final long TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux

    @Test
    void printsTheCostOfOneProbeOfEveryCheckPerNode() {
        List<PgNode> cluster = TestStack.get().cluster();
        Path password = TestStack.get().secrets().file(PgTopology.PGOPS_USER);
        Vertx vertx = Vertx.vertx();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Thresholds t = Thresholds.defaults();
        System.out.printf(
                Locale.ROOT,
                "%nprobe cost, %d probes per node after %d warm-up, full check set, kept connection%n",
                PROBES,
                WARMUP);
        try {
            for (PgNode node : cluster) {
                NodeSession session = new NodeSession(
                        NodeName.of(node.name()),
                        vertx,
                        () -> options(node, password),
                        Duration.ofSeconds(5),
                        Duration.ZERO,
                        Clock.systemUTC());
                for (int i = 0; i < WARMUP; i++) {
                    probe(session, t);
                }
                long backend = Long.parseLong(
                        node.sql("SELECT pid FROM pg_stat_activity WHERE application_name = 'pgops-health-bench'"));
                long serverTicks0 = cpuTicks(backend);
                long client0 = os.getProcessCpuTime();
                long wall0 = System.nanoTime();
                for (int i = 0; i < PROBES; i++) {
                    probe(session, t);
                }
                double wallMs = (System.nanoTime() - wall0) / 1e6 / PROBES;
                double clientMs = (os.getProcessCpuTime() - client0) / 1e6 / PROBES;
                double serverMs = (cpuTicks(backend) - serverTicks0) * 1000.0 / TICKS_PER_SECOND / PROBES;
                System.out.printf(
                        Locale.ROOT,
                        "%s (%s): wall %.3f ms, client CPU %.3f ms, node CPU %.3f ms per probe;"
                                + " one core watches %,d nodes at a 5 s interval (client side)%n",
                        node.name(),
                        node.role(),
                        wallMs,
                        clientMs,
                        serverMs,
                        (long) (5000 / clientMs));
                session.close();
            }
        } finally {
            vertx.closeAndAwait();
        }
    }

    private static void probe(NodeSession session, Thresholds t) {
        NodeSample s = session.probe(t, 200).await().atMost(Duration.ofSeconds(10));
        if (!s.reachable() || s.sessions() == null || s.capacity() == null || s.counters() == null) {
            throw new IllegalStateException("the probe did not read every part: " + s);
        }
    }

    private static PgConnectOptions options(PgNode node, Path passwordFile) {
        try {
            return new PgConnectOptions()
                    .setHost("127.0.0.1")
                    .setPort(node.port())
                    .setDatabase("postgres")
                    .setUser(PgTopology.PGOPS_USER)
                    .setPassword(Files.readString(passwordFile).strip())
                    .setCachePreparedStatements(true)
                    .addProperty("application_name", "pgops-health-bench");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + passwordFile, e);
        }
    }

    /** utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/pid/stat). */
    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the CPU time of backend " + pid, e);
        }
    }
}
