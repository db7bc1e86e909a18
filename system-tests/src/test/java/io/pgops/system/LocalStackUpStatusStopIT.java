package io.pgops.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.stack.Stack;
import io.pgops.stack.StackLayout;
import io.pgops.stack.StackState;
import io.pgops.stack.StackStatus;
import io.pgops.stack.auth.Tokens;
import io.pgops.stack.process.Ports;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What `bin/pgops up | status | stop` does, through the same launcher code, on a data directory and
 * ports of its own: everything comes up ready, an agent killed with SIGKILL is started again by its
 * supervisor, a second `up` changes nothing, `stop` leaves no process behind (supervised children
 * included).
 */
class LocalStackUpStatusStopIT {

    @Test
    void upBringsEverythingUpReadyASecondUpChangesNothingAndStopLeavesNoProcess() throws IOException {
        Path data = Files.createTempDirectory(
                Path.of("/tmp"),
                "pgops-stack-it-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path repo = Path.of(System.getProperty("pgops.repo.dir", ".."))
                .toAbsolutePath()
                .normalize();
        // a base whose preferred ports are free now; any taken later is replaced by a free one
        int base = Ports.free() / 100 * 100 % 40000 + 20000;
        try {
            upStatusStop(new StackLayout(repo, data, base));
        } finally {
            io.pgops.pgtools.Cmd.of("rm", "-rf", data.toString()).tryRun();
        }
    }

    private static void upStatusStop(StackLayout layout) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Stack stack = new Stack(layout, new PrintStream(log, true, StandardCharsets.UTF_8));
        List<StackStatus.Row> rows = List.of();
        List<ProcessHandle> children = new java.util.ArrayList<>();
        try {
            stack.up(true);
            rows = StackStatus.rows(layout, StackState.read(layout.stateFile()).orElseThrow());
            Map<String, StackStatus.Row> byName =
                    rows.stream().collect(Collectors.toMap(StackStatus.Row::name, Function.identity()));
            for (String service : StackLayout.SERVICES) {
                assertEquals("ready", byName.get(service).detail(), service + ": " + byName.get(service));
            }
            assertTrue(
                    byName.get("node1").detail().contains("node2=sync"),
                    byName.get("node1").toString());
            assertTrue(
                    byName.get("node1").detail().contains("node3=async"),
                    byName.get("node1").toString());
            assertEquals("standby", byName.get("node3").detail());
            assertEquals("listening", byName.get("pgbouncer").detail());
            assertTrue(rows.stream().allMatch(StackStatus.Row::running), StackStatus.table(rows));

            // security on (issue 20): a read needs a token, and the stack's own key (bin/pgops token) mints one
            String clusters =
                    "http://127.0.0.1:" + byName.get("replication-service").port() + "/clusters";
            assertEquals(401, io.pgops.stack.Http.status(clusters));
            String viewer = "Bearer " + Tokens.in(layout.secretsDir()).forRole(Tokens.VIEWER);
            assertEquals(200, io.pgops.stack.Http.get(clusters, viewer).status());

            agentsReportTheirHostsToTheMaintenanceService(
                    "http://127.0.0.1:" + byName.get("maintenance-service").port(), viewer);

            // every service's and agent's metrics pass Prometheus' own linter, in the text format it reads
            // a coordinator's per-cluster gauges appear with the first topology it commits as the cluster's owner
            String replicationMetrics =
                    "http://127.0.0.1:" + byName.get("replication-service").port() + "/q/metrics";
            org.awaitility.Awaitility.await("the owning coordinator to export its per-cluster gauges")
                    .atMost(java.time.Duration.ofSeconds(60))
                    .pollInterval(java.time.Duration.ofMillis(250))
                    .until(() -> io.pgops.stack.Http.get(replicationMetrics, viewer)
                            .body()
                            .contains("pgops_replication_term{"));
            java.util.Set<String> served = new java.util.TreeSet<>();
            for (StackStatus.Row r : rows) {
                if (r.kind().equals("service")) {
                    served.addAll(MetricNames.served(PromtoolCheck.metricsPass(
                            "http://127.0.0.1:" + r.port() + "/q/metrics", r.name(), viewer)));
                }
            }
            // the dashboards and the alert rules name only metrics the services really export
            Path deploy = layout.repo().resolve("deploy");
            for (var named : Map.of(
                            "dashboards", MetricNames.referencedUnder(deploy.resolve("grafana"), ".json"),
                            "alert rules", MetricNames.referencedUnder(deploy.resolve("prometheus"), "alerts.yml"))
                    .entrySet()) {
                assertTrue(
                        named.getValue().size() >= 10, named.getKey() + " name too few metrics: " + named.getValue());
                java.util.Set<String> unknown = new java.util.TreeSet<>(named.getValue());
                unknown.removeAll(served);
                assertTrue(unknown.isEmpty(), "the " + named.getKey() + " name metrics no service exports: " + unknown);
            }

            // the agents are supervised: one killed with SIGKILL is started again by itself
            StackStatus.Row agent = byName.get(StackLayout.agentOf("node1"));
            ProcessHandle first = ProcessHandle.of(agent.pid())
                    .orElseThrow()
                    .children()
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("the agent's supervisor has no child"));
            long killed = System.nanoTime();
            first.destroyForcibly();
            org.awaitility.Awaitility.await("the killed agent to be started again and ready")
                    .atMost(java.time.Duration.ofSeconds(60))
                    .pollInterval(java.time.Duration.ofMillis(100))
                    .until(() -> ProcessHandle.of(agent.pid())
                                    .orElseThrow()
                                    .children()
                                    .anyMatch(c -> c.pid() != first.pid())
                            && io.pgops.stack.Http.status("http://127.0.0.1:" + agent.port() + "/q/health/ready")
                                    == 200);
            System.out.printf(
                    "the killed agent was ready again %d ms after SIGKILL%n", (System.nanoTime() - killed) / 1_000_000);

            Map<String, Long> pids = pids(rows);
            new Stack(layout, new PrintStream(log, true, StandardCharsets.UTF_8)).up(true);
            assertEquals(
                    pids,
                    pids(StackStatus.rows(
                            layout, StackState.read(layout.stateFile()).orElseThrow())),
                    "a second up restarted something");
            rows.forEach(r ->
                    ProcessHandle.of(r.pid()).ifPresent(h -> h.descendants().forEach(children::add)));

            // last, for it changes the primary (the old one's postmaster restarts as a standby)
            onCallCliDrivesASwitchoverAndShowsItsIncident(layout);
            noSecretIsInAnyLogOrRecordedEvent(
                    layout,
                    "http://127.0.0.1:"
                            + StackState.read(layout.stateFile())
                                    .orElseThrow()
                                    .find("audit-service")
                                    .orElseThrow()
                                    .port());
        } finally {
            new Stack(layout, new PrintStream(log, true, StandardCharsets.UTF_8)).stop();
        }
        for (StackStatus.Row r : rows) {
            assertFalse(
                    ProcessHandle.of(r.pid()).map(ProcessHandle::isAlive).orElse(false),
                    r.name() + " (pid " + r.pid() + ") outlived stop");
        }
        for (ProcessHandle c : children) {
            assertFalse(c.isAlive(), "a supervised child (pid " + c.pid() + ") outlived stop");
        }
        assertTrue(StackStatus.rows(layout, StackState.read(layout.stateFile()).orElseThrow()).stream()
                .noneMatch(StackStatus.Row::running));
        // stop's last sweep stops and names anything that still mentions the data directory: each component
        // must have stopped what it started itself
        String said = log.toString(StandardCharsets.UTF_8);
        assertFalse(said.contains("left behind"), said);
        assertTrue(said.contains("pgops is stopped in"), said);
    }

    /**
     * Issue 19: each node's agent reads its host (here: this machine) and publishes {@code HostFactsReported}; the
     * maintenance-service's host report shows every node with this machine's own values, and its advisor, with no host
     * facts declared in the local stack, answers from the reported ones instead of 409.
     */
    private static void agentsReportTheirHostsToTheMaintenanceService(String maintenance, String viewer) {
        try {
            hostReport(maintenance, viewer);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void hostReport(String maintenance, String viewer) throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode report = org.awaitility.Awaitility.await(
                        "every agent's host facts in the maintenance-service's host report")
                .atMost(java.time.Duration.ofSeconds(60))
                .pollInterval(java.time.Duration.ofMillis(500))
                .until(
                        () -> json.readTree(
                                io.pgops.stack.Http.get(maintenance + "/clusters/local/reports/host", viewer)
                                        .body()),
                        r -> r.path("nodes").size() == 3
                                && java.util.stream.StreamSupport.stream(
                                                r.path("nodes").spliterator(), false)
                                        .allMatch(n -> n.path("missing").isNull()));
        String swappiness = cat("/proc/sys/vm/swappiness");
        String thp = cat("/sys/kernel/mm/transparent_hugepage/enabled").replaceAll(".*\\[([a-z]+)].*", "$1");
        long ram = Long.parseLong(cat("/proc/meminfo")
                        .lines()
                        .filter(l -> l.startsWith("MemTotal:"))
                        .findFirst()
                        .orElseThrow()
                        .replaceAll("[^0-9]", ""))
                * 1024;
        for (com.fasterxml.jackson.databind.JsonNode node : report.path("nodes")) {
            Map<String, String> values = new java.util.HashMap<>();
            node.path("settings")
                    .forEach(f -> values.put(
                            f.path("setting").asText(), f.path("value").asText()));
            assertEquals(swappiness, values.get("vm.swappiness"), node.toString());
            assertEquals(thp, values.get("transparent_hugepage"), node.toString());
            assertTrue(values.get("ram").startsWith(Math.min(ram, cgroupLimit()) + " bytes"), node.toString());
        }
        System.out.println("the maintenance-service's host report of the local stack: " + report);
        io.pgops.stack.Http.Response advice =
                io.pgops.stack.Http.get(maintenance + "/clusters/local/config/advice", viewer);
        assertEquals(200, advice.status(), advice.body());
        assertTrue(
                json.readTree(advice.body())
                        .path("facts")
                        .path("source")
                        .asText()
                        .startsWith("reported by the agents of node1, node2, node3"),
                advice.body());
    }

    /** The memory limit of this machine's cgroup (v2, else v1), {@code Long.MAX_VALUE} for none. */
    private static long cgroupLimit() throws IOException {
        for (String f : List.of("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes")) {
            if (Files.isReadable(Path.of(f)) && cat(f).matches("[0-9]{1,19}")) {
                long v = Long.parseLong(cat(f));
                return v >= (1L << 60) ? Long.MAX_VALUE : v;
            }
        }
        return Long.MAX_VALUE;
    }

    private static String cat(String file) throws IOException {
        Process p = new ProcessBuilder("cat", file).start();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    /** bin/pgops' on-call verbs (OpsCli, the same code) against this stack's services, with its own key. */
    private static void onCallCliDrivesASwitchoverAndShowsItsIncident(StackLayout layout) {
        // the agent killed above reports its node again within seconds of its restart
        Cli clusters = org.awaitility.Awaitility.await("bin/pgops clusters to show node1 as the leader")
                .atMost(java.time.Duration.ofSeconds(60))
                .pollInterval(java.time.Duration.ofMillis(500))
                .until(
                        () -> Cli.run(layout, "clusters"),
                        c -> c.code() == 0 && c.out().contains("Leader"));
        assertTrue(clusters.out().contains("cluster local  term"), clusters.toString());
        Cli asJson = Cli.run(layout, "clusters", "--json");
        assertEquals(0, asJson.code(), asJson.toString());
        assertTrue(asJson.out().trim().startsWith("["), asJson.toString());

        // refusals exit 1 with the server's problem: an unknown node, and a token from another key
        Cli unknown = Cli.run(layout, "switchover", "local", "--to", "node9", "--reason", "ops CLI test");
        assertEquals(1, unknown.code(), unknown.toString());
        assertTrue(unknown.err().startsWith("pgops: 4"), unknown.toString());
        Cli forged = Cli.run(layout, "--token", "not-a-token", "clusters");
        assertEquals(1, forged.code(), forged.toString());
        assertTrue(forged.err().contains("401"), forged.toString());

        Cli sw = Cli.run(layout, "switchover", "local", "--to", "node2", "--reason", "ops CLI test", "--wait", "90");
        assertEquals(0, sw.code(), sw.toString());
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("\\(correlation ([^)]+)\\)").matcher(sw.out());
        assertTrue(m.find() && sw.out().contains("completed"), sw.toString());
        String correlation = m.group(1);
        Cli incident = org.awaitility.Awaitility.await("the switchover's incident in the audit trail")
                .atMost(java.time.Duration.ofSeconds(60))
                .pollInterval(java.time.Duration.ofMillis(500))
                .until(
                        () -> Cli.run(layout, "incident", "show", correlation),
                        c -> c.code() == 0 && c.out().contains("failover-completed"));
        assertTrue(
                incident.out().contains("switchover-requested")
                        && incident.out().contains("pgops-cli"),
                incident.toString());
        Cli tail = Cli.run(layout, "audit", "tail", "-n", "5");
        assertEquals(0, tail.code(), tail.toString());
        assertEquals(5, tail.out().lines().count(), tail.toString());
        System.out.println("bin/pgops incident show " + correlation + ":\n" + incident.out());
    }

    /**
     * Issue 20's leak search: the stack's own secrets (every password, the token signing key, the audit
     * checkpoint key's private half), after the stack was driven (commands, a switchover, failures), are in no
     * log of any process nor in any event the audit trail recorded from every topic.
     */
    private static void noSecretIsInAnyLogOrRecordedEvent(StackLayout layout, String audit) {
        Map<String, String> secrets = new java.util.TreeMap<>();
        List<Path> logs = new java.util.ArrayList<>();
        try (var files = java.nio.file.Files.list(layout.secretsDir())) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                for (String line : java.nio.file.Files.readAllLines(f)) {
                    String l = line.trim();
                    boolean secret = name.endsWith(".password")
                            || (name.endsWith("signing.key") && !l.startsWith("-----"))
                            || (name.startsWith("audit-checkpoint") && l.startsWith("private "));
                    String value = l.startsWith("private ") ? l.substring("private ".length()) : l;
                    if (secret && value.length() >= 12) {
                        secrets.put(name + " line " + secrets.size(), value);
                    }
                }
            }
            try (var l = java.nio.file.Files.list(layout.logDir())) {
                logs.addAll(l.toList());
            }
            try (var l = java.nio.file.Files.list(layout.pgBase())) {
                logs.addAll(l.filter(p -> p.toString().endsWith(".log")).toList());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertTrue(secrets.size() >= 10, "too few secrets found to search for: " + secrets.keySet());
        assertTrue(logs.size() >= 10, "too few logs: " + logs);
        Map<String, String> haystacks = new java.util.LinkedHashMap<>();
        for (Path log : logs) {
            try {
                haystacks.put(log.toString(), java.nio.file.Files.readString(log, StandardCharsets.ISO_8859_1));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        io.pgops.stack.Http.Response events = io.pgops.stack.Http.get(
                audit + "/audit/events?limit=1000",
                "Bearer " + Tokens.in(layout.secretsDir()).forRole(Tokens.VIEWER));
        assertEquals(200, events.status(), events.body());
        assertTrue(events.body().contains("switchover-requested"), "the trail holds the commands sent above");
        haystacks.put("the audit trail's events", events.body());
        for (var h : haystacks.entrySet()) {
            for (var secret : secrets.entrySet()) {
                assertFalse(h.getValue().contains(secret.getValue()), secret.getKey() + " appears in " + h.getKey());
            }
        }
    }

    /** One run of the on-call CLI: its exit status and what it printed. */
    private record Cli(int code, String out, String err) {
        static Cli run(StackLayout layout, String... args) {
            java.io.StringWriter out = new java.io.StringWriter();
            java.io.StringWriter err = new java.io.StringWriter();
            int code = io.pgops.stack.ops.OpsCli.run(
                    args, new java.io.PrintWriter(out), new java.io.PrintWriter(err), Map.of(), layout);
            return new Cli(code, out.toString(), err.toString());
        }
    }

    private static Map<String, Long> pids(List<StackStatus.Row> rows) {
        return rows.stream().collect(Collectors.toMap(StackStatus.Row::name, StackStatus.Row::pid));
    }
}
