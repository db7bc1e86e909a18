package io.pgops.stack;

import io.pgops.pgtools.OsUser;
import io.pgops.pgtools.PgBinaries;
import io.pgops.stack.StackState.Component;
import io.pgops.stack.auth.Tokens;
import io.pgops.stack.kafka.KafkaBroker;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.postgres.PgTopology;
import io.pgops.stack.postgres.Secrets;
import io.pgops.stack.process.Daemons;
import io.pgops.stack.process.Ports;
import io.pgops.stack.process.Wait;
import io.pgops.stack.routing.Routing;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The local stack: Kafka, the 3-node cluster, pgops' own database and the five services, started
 * detached so they outlive {@code up}. Every step is idempotent: what runs is left alone.
 */
public final class Stack {
    private final StackLayout layout;
    private final PrintStream out;
    private final String java;
    private StackState state;

    public Stack(StackLayout layout, PrintStream out) {
        this.layout = layout;
        this.out = out;
        this.java = ProcessHandle.current().info().command().orElse("java");
        this.state = StackState.read(layout.stateFile()).orElse(new StackState(List.of()));
    }

    public StackState state() {
        return state;
    }

    private int port(String name) {
        return state.find(name).map(Component::port).orElseGet(() -> Ports.preferred(layout.preferredPort(name)));
    }

    private void record(Component c) {
        state = state.with(c);
        state.write(layout.stateFile());
    }

    public void up(boolean withServices) {
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(layout.logDir());
            Files.createDirectories(layout.configDir());
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + layout.dataDir(), e);
        }
        Secrets secrets = new Secrets(layout.secretsDir());
        KafkaBroker kafka = startKafka();
        PgTopology pg = new PgTopology(layout.pgBase(), PgBinaries.locate(), OsUser.forPostgres(), secrets);

        step("PostgreSQL cluster '" + StackLayout.CLUSTER_ID + "' (primary, sync standby, async standby)");
        List<Integer> ports = StackLayout.NODES.stream().map(this::port).toList();
        List<PgNode> nodes = pg.cluster(new PgTopology.ClusterSpec(StackLayout.CLUSTER_ID, StackLayout.NODES, ports));
        for (PgNode n : nodes) {
            record(new Component(
                    n.name(),
                    "postgres",
                    n.port(),
                    n.pid().orElse(0),
                    n.dataDir().toString(),
                    layout.pgBase().resolve(n.name() + ".log").toString()));
        }
        if ("primary".equals(nodes.getFirst().role())) {
            PgTopology.awaitReplication(nodes.getFirst(), nodes.subList(1, nodes.size()), Duration.ofSeconds(60));
        }

        step("pgops' own PostgreSQL (audit trail)");
        PgNode db = pg.pgopsDatabase(StackLayout.PGOPS_DB, port(StackLayout.PGOPS_DB));
        record(new Component(
                db.name(),
                "postgres",
                db.port(),
                db.pid().orElse(0),
                db.dataDir().toString(),
                layout.pgBase().resolve(db.name() + ".log").toString()));

        Path inventory = layout.configDir().resolve("inventory.properties");
        java.util.Map<String, String> inv = new java.util.LinkedHashMap<>(
                ServiceConfig.inventory(StackLayout.CLUSTER_ID, nodes, secrets.file(PgTopology.PGOPS_USER)));
        for (PgNode n : nodes) {
            inv.put(
                    "pgops.clusters." + StackLayout.CLUSTER_ID + ".nodes." + n.name() + ".agent-url",
                    "http://127.0.0.1:" + port(StackLayout.agentOf(n.name())));
        }
        writeFile(inventory, ServiceConfig.properties("pgops cluster inventory, written by the local stack", inv));
        Path suite = layout.configDir().resolve("suite.properties");
        ServiceConfig.writeSuite(suite, kafka.bootstrapServers(), db, secrets, Tokens.in(layout.secretsDir()));

        if (withServices) {
            List<String> started = new ArrayList<>(StackLayout.SERVICES);
            for (String service : StackLayout.SERVICES) {
                // the audit trail's checkpoints are signed with one key kept across restarts
                List<String> extra = switch (service) {
                    case "audit-service" ->
                        List.of("-Dpgops.audit.checkpoint.key-file="
                                + layout.secretsDir().resolve("audit-checkpoint.key"));
                    // backups open replication connections, which pg_hba.conf allows the replication account only
                    case "backup-service" ->
                        List.of(
                                "-Dpgops.backup.repository-root="
                                        + layout.dataDir().resolve("backups"),
                                "-Dpgops.backup.account.username=" + PgTopology.REPLICATION_USER,
                                "-Dpgops.backup.account.password-file=" + secrets.file(PgTopology.REPLICATION_USER));
                    default -> List.of();
                };
                startService(service, service, inventory, suite, false, extra);
            }
            for (PgNode n : nodes) {
                String agent = StackLayout.agentOf(n.name());
                // supervised: an agent that dies is started again (write traffic waits for its /primary)
                startService(
                        agent,
                        "replication-service",
                        inventory,
                        suite,
                        true,
                        List.of(
                                "-Dpgops.agent.cluster=" + StackLayout.CLUSTER_ID,
                                "-Dpgops.agent.node=" + n.name(),
                                "-Dpgops.agent.data-dir=" + n.dataDir(),
                                "-Dpgops.agent.server-options=" + n.serverOptions(),
                                "-Dpgops.agent.log-file=" + n.logFile(),
                                "-Dpgops.agent.replication.username=" + PgTopology.REPLICATION_USER,
                                "-Dpgops.agent.replication.password-file="
                                        + secrets.file(PgTopology.REPLICATION_USER)));
                started.add(agent);
            }
            for (String service : started) {
                Component c = state.find(service).orElseThrow();
                Wait.until(
                        service + " to report ready on http://127.0.0.1:" + c.port() + "/q/health/ready (log: "
                                + c.log() + ")",
                        Duration.ofSeconds(120),
                        () -> {
                            if (!Daemons.isOurs(c.pid(), c.marker())) {
                                throw new IllegalStateException(service + " exited; last lines of " + c.log() + ":\n"
                                        + Daemons.tail(Path.of(c.log()), 15));
                            }
                            return Http.status("http://127.0.0.1:" + c.port() + "/q/health/ready") == 200;
                        });
            }
        }
        if (withServices) {
            startRouting(nodes, secrets);
        }
        out.printf("pgops is up in %.1f s (data: %s)%n", (System.nanoTime() - t0) / 1e9, layout.dataDir());
    }

    private KafkaBroker startKafka() {
        step("Kafka (KRaft, single node)");
        int port = port("kafka");
        int controller = port("kafka-controller");
        KafkaBroker kafka = new KafkaBroker(layout.kafkaDir(), KafkaBroker.locateLibs(layout.repo()), port, controller);
        Component existing = state.find("kafka").orElse(null);
        if (existing == null || !Daemons.isOurs(existing.pid(), existing.marker())) {
            kafka.prepare(java);
            long pid =
                    Daemons.startDetached(kafka.command(java), layout.logDir().resolve("kafka.log"), layout.dataDir());
            record(new Component(
                    "kafka",
                    "kafka",
                    port,
                    pid,
                    "pgops.component=kafka:" + layout.kafkaDir(),
                    layout.logDir().resolve("kafka.log").toString()));
            record(new Component("kafka-controller", "kafka-controller", controller, 0, "", ""));
        }
        kafka.awaitReadyAndCreateTopics(Duration.ofSeconds(60));
        return kafka;
    }

    /** HAProxy (write and read ports) and PgBouncer in front of the write port. */
    private void startRouting(List<PgNode> nodes, Secrets secrets) {
        Routing routing = new Routing(layout.routingDir(), port("haproxy"), port("haproxy-read"), port("pgbouncer"));
        List<Routing.Backend> backends = nodes.stream()
                .map(n -> new Routing.Backend(
                        n,
                        state.find(StackLayout.agentOf(n.name())).orElseThrow().port()))
                .toList();
        OsUser pgUser = OsUser.forPostgres();
        routing.writeConfig(backends, PgTopology.PGOPS_USER, secrets.password(PgTopology.PGOPS_USER), pgUser);
        startDaemon("haproxy", "router", routing.writePort(), routing.haproxyCommand(), "haproxy.cfg");
        record(new Component("haproxy-read", "router-port", routing.readPort(), 0, "", ""));
        startDaemon("pgbouncer", "router", routing.bouncerPort(), routing.pgbouncerCommand(pgUser), "pgbouncer.ini");
        Wait.until(
                "HAProxy's write port " + routing.writePort() + " and PgBouncer's port " + routing.bouncerPort()
                        + " to listen",
                Duration.ofSeconds(30),
                () -> Ports.answers(routing.writePort()) && Ports.answers(routing.bouncerPort()));
    }

    private void startDaemon(String name, String kind, int port, List<String> argv, String markerFile) {
        String marker = layout.routingDir().resolve(markerFile).toString();
        Component existing = state.find(name).orElse(null);
        if (existing != null && Daemons.isOurs(existing.pid(), existing.marker())) {
            return;
        }
        step(name + " on :" + port);
        Path log = layout.logDir().resolve(name + ".log");
        long pid = Daemons.startDetached(argv, log, layout.dataDir());
        record(new Component(name, kind, port, pid, marker, log.toString()));
    }

    private void startService(
            String service, String module, Path inventory, Path suite, boolean supervised, List<String> extraArgs) {
        Component existing = state.find(service).orElse(null);
        if (existing != null && Daemons.isOurs(existing.pid(), existing.marker())) {
            return;
        }
        Path jar = layout.serviceJar(module);
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build with `./mvnw -DskipTests package`");
        }
        int port = port(service);
        Path log = layout.logDir().resolve(service + ".log");
        List<String> argv = new ArrayList<>(List.of(
                java,
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.config.locations=" + inventory.toUri() + "," + suite.toUri(),
                "-Dpgops.instance=" + service + "@" + layout.dataDir()));
        argv.addAll(extraArgs);
        argv.addAll(List.of("-jar", jar.toString()));
        step(service + " on :" + port);
        long pid = supervised
                ? Daemons.startSupervised(argv, log, layout.dataDir())
                : Daemons.startDetached(argv, log, layout.dataDir());
        record(new Component(service, "service", port, pid, "pgops.instance=" + service + "@", log.toString()));
    }

    /** Stops services, then PostgreSQL, then Kafka; returns once none of them runs. */
    public void stop() {
        List<Component> reversed = new ArrayList<>(state.components());
        Collections.reverse(reversed);
        PgBinaries bin = PgBinaries.find().orElse(null);
        for (Component c : sortForStop(reversed)) {
            switch (c.kind()) {
                case "service", "kafka", "router" -> {
                    if (Daemons.isOurs(c.pid(), c.marker())) {
                        step("stopping " + c.name() + " (pid " + c.pid() + ")");
                        Daemons.stop(c.pid(), Duration.ofSeconds(20));
                    }
                }
                case "postgres" -> {
                    if (bin != null) {
                        PgNode n = new PgNode(
                                c.name(),
                                Path.of(c.marker()),
                                layout.pgBase().resolve("run"),
                                c.port(),
                                bin,
                                OsUser.forPostgres());
                        if (n.isRunning()) {
                            step("stopping " + c.name() + " (pid " + n.pid().orElse(0) + ")");
                            n.stop("fast");
                        }
                    }
                }
                default -> {}
            }
        }
        out.println("pgops is stopped (data kept in " + layout.dataDir() + "; remove it for a fresh start)");
    }

    private static List<Component> sortForStop(List<Component> cs) {
        List<Component> out = new ArrayList<>();
        for (String kind : List.of("router", "service", "postgres", "kafka")) {
            cs.stream().filter(c -> c.kind().equals(kind)).forEach(out::add);
        }
        return out;
    }

    private void step(String what) {
        out.println("  - " + what);
    }

    private static void writeFile(Path f, String text) {
        try {
            Files.writeString(f, text);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + f, e);
        }
    }
}
