package io.pgops.stack;

import io.pgops.pgtools.OsUser;
import io.pgops.pgtools.PgBinaries;
import io.pgops.stack.StackState.Component;
import io.pgops.stack.auth.Tokens;
import io.pgops.stack.kafka.KafkaBroker;
import io.pgops.stack.postgres.ClusterCa;
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
        PgTopology pg = new PgTopology(layout.pgBase(), PgBinaries.locate(), OsUser.forPostgres(), secrets);
        KafkaBroker kafka = startKafka(pg.ca(), secrets);

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
        java.util.Map<String, String> inv = new java.util.LinkedHashMap<>(ServiceConfig.inventory(
                StackLayout.CLUSTER_ID, nodes, secrets.file(PgTopology.PGOPS_USER), pg.caCertificate()));
        for (PgNode n : nodes) {
            inv.put(
                    "pgops.clusters." + StackLayout.CLUSTER_ID + ".nodes." + n.name() + ".agent-url",
                    "http://127.0.0.1:" + port(StackLayout.agentOf(n.name())));
        }
        writeFile(inventory, ServiceConfig.properties("pgops cluster inventory, written by the local stack", inv));
        Path suite = layout.configDir().resolve("suite.properties");
        ServiceConfig.writeSuite(
                suite,
                kafka.secureBootstrapServers(),
                KafkaBroker.secureClientSettings(
                        pg.caCertificate(), KAFKA_SERVICES_USER, secrets.password(KAFKA_SERVICES_USER)),
                db,
                secrets,
                Tokens.in(layout.secretsDir()),
                pg.caCertificate());

        if (withServices) {
            Tokens agentCommands = Tokens.agentCommands(layout.secretsDir());
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
                    // provisioned roles' passwords are handed over beside the stack's other secrets
                    case "maintenance-service" ->
                        List.of("-Dpgops.maintenance.roles.password-dir="
                                + layout.secretsDir().resolve("role-passwords"));
                    // the coordinators sign agent operations; the agents (below) hold only the public key
                    case "replication-service" ->
                        List.of(
                                "-Dpgops.agent-auth.signing-key=" + agentCommands.privateKeyFile(),
                                "-Dpgops.agent-auth.verify-key=" + agentCommands.publicKeyFile());
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
                                "-Dpgops.agent.replication.password-file=" + secrets.file(PgTopology.REPLICATION_USER),
                                "-Dpgops.agent-auth.verify-key=" + agentCommands.publicKeyFile()));
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
            // ready is not yet deciding: the suite is up once a coordinator owns the cluster and has committed
            // its topology (a switchover typed right after up would otherwise be refused as "no topology yet")
            String topology = "http://127.0.0.1:" + port("replication-service") + "/clusters/" + StackLayout.CLUSTER_ID
                    + "/topology";
            String viewer = "Bearer " + Tokens.in(layout.secretsDir()).forRole(Tokens.VIEWER);
            Wait.until(
                    "a coordinator to commit the topology of " + StackLayout.CLUSTER_ID + " (" + topology + ")",
                    Duration.ofSeconds(60),
                    () -> Http.get(topology, viewer).status() == 200);
        }
        if (withServices) {
            startRouting(nodes, secrets);
        }
        out.printf("pgops is up in %.1f s (data: %s)%n", (System.nanoTime() - t0) / 1e9, layout.dataDir());
    }

    /** The services' Kafka user on the broker's secure listener (TLS + SASL/SCRAM); its password is a secret. */
    static final String KAFKA_SERVICES_USER = "pgops-services";

    /**
     * The broker: a plaintext listener for the stack's own tools, and a secure one (TLS with the stack's certificate,
     * then SASL/SCRAM-SHA-512) that the services use.
     */
    private KafkaBroker startKafka(ClusterCa ca, Secrets secrets) {
        step("Kafka (KRaft, single node)");
        int port = port("kafka");
        int controller = port("kafka-controller");
        int secure = port("kafka-secure");
        KafkaBroker kafka = new KafkaBroker(layout.kafkaDir(), KafkaBroker.locateLibs(layout.repo()), port, controller)
                .withSecureListener(new KafkaBroker.SecureListener(secure, ca.serverCertificate(), ca.serverKey()));
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
            record(new Component("kafka-secure", "kafka-secure", secure, 0, "", ""));
        }
        kafka.awaitReadyAndCreateTopics(Duration.ofSeconds(60));
        kafka.addScramUser(KAFKA_SERVICES_USER, secrets.password(KAFKA_SERVICES_USER));
        kafka.grantServices(KAFKA_SERVICES_USER);
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

    /**
     * The JVM options of a service or agent: {@code PGOPS_JAVA_OPTS} when set (split on spaces), else
     * {@link #COMMON_JVM_OPTIONS} with a 64 MB heap for an agent (it runs beside every PostgreSQL node; its
     * live data is ~35 MB) and 128 MB for a service. A heap that gives back what it does not use (free ratios),
     * C1 only, small thread stacks and code cache: the services' RSS went from 182–221 MB to 140–157 MB and
     * each starts alone in 2–5 s ({@code stack/bench/footprint}).
     */
    static List<String> jvmOptions(String service) {
        String configured = System.getenv("PGOPS_JAVA_OPTS");
        if (configured != null && !configured.isBlank()) {
            return List.of(configured.trim().split("\\s+"));
        }
        List<String> out = new ArrayList<>(List.of(service.startsWith("agent-") ? "-Xmx64m" : "-Xmx128m"));
        out.addAll(COMMON_JVM_OPTIONS);
        return out;
    }

    static final List<String> COMMON_JVM_OPTIONS = List.of(
            "-Xms16m",
            "-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=30",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Xss256k",
            "-XX:ReservedCodeCacheSize=24m");

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
        List<String> argv = new ArrayList<>(List.of(java));
        argv.addAll(jvmOptions(service));
        argv.addAll(List.of(
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

    /**
     * Stops the front door, every service and every agent at once, then every PostgreSQL server and Kafka at
     * once; returns once none of them runs. Each phase runs its stops side by side (a Quarkus service takes
     * 2–5 s to close its Kafka clients; one after the other they took 40 s).
     */
    public void stop() {
        long started = System.nanoTime();
        List<Component> cs = new ArrayList<>(state.components());
        Collections.reverse(cs);
        PgBinaries bin = PgBinaries.find().orElse(null);
        inParallel(
                cs.stream()
                        .filter(c -> c.kind().equals("router") || c.kind().equals("service"))
                        .toList(),
                this::stopDaemon);
        inParallel(
                cs.stream()
                        .filter(c -> c.kind().equals("postgres") || c.kind().equals("kafka"))
                        .toList(),
                c -> {
                    if (c.kind().equals("kafka")) {
                        stopDaemon(c);
                    } else if (bin != null) {
                        stopPostgres(c, bin);
                    }
                });
        sweepLeftovers();
        out.printf(
                "pgops is stopped in %.1f s (data kept in %s; remove it for a fresh start)%n",
                (System.nanoTime() - started) / 1e9, layout.dataDir());
    }

    /**
     * Whatever still names the data directory on its command line once every component stopped (a tool a
     * service started and could not stop, a PostgreSQL backend of a crashed postmaster) is stopped too and
     * named, so that {@code stop} leaves nothing behind.
     */
    private void sweepLeftovers() {
        String dir = layout.dataDir().toString();
        long self = ProcessHandle.current().pid();
        List<ProcessHandle> left = ProcessHandle.allProcesses()
                .filter(h -> h.pid() != self)
                .filter(h -> Daemons.cmdline(h.pid())
                        .map(c -> c.contains(dir + "/") || c.contains(dir + " ") || c.endsWith(dir))
                        .orElse(false))
                .filter(Stack::oneOfOurKinds)
                .toList();
        stopAll(left);
    }

    /**
     * Only what the stack itself runs is swept: PostgreSQL and its tools, the routers, runuser, and a JVM or a
     * shell that carries pgops' own markers. A person's {@code tail -f} of a log in the data directory stays.
     */
    private static boolean oneOfOurKinds(ProcessHandle h) {
        String exe =
                h.info().command().map(c -> Path.of(c).getFileName().toString()).orElse("");
        String cmd = Daemons.cmdline(h.pid()).orElse("");
        return switch (exe) {
            case "postgres", "pg_receivewal", "pg_basebackup", "pg_ctl", "haproxy", "pgbouncer", "runuser" -> true;
            case "java" -> cmd.contains("-Dpgops.");
            case "sh", "bash", "dash" -> cmd.contains("pgops-supervisor");
            default -> false;
        };
    }

    private void stopAll(List<ProcessHandle> left) {
        for (ProcessHandle h : left) {
            step("left behind, stopped: pid " + h.pid() + " "
                    + Daemons.cmdline(h.pid()).orElse("?"));
            Daemons.stop(h.pid(), Duration.ofSeconds(3));
        }
    }

    private void stopDaemon(Component c) {
        if (Daemons.isOurs(c.pid(), c.marker())) {
            long t0 = System.nanoTime();
            Daemons.stop(c.pid(), Duration.ofSeconds(20));
            step(String.format("%s stopped (pid %d, %.1f s)", c.name(), c.pid(), (System.nanoTime() - t0) / 1e9));
        }
    }

    private void stopPostgres(Component c, PgBinaries bin) {
        PgNode n = new PgNode(
                c.name(), Path.of(c.marker()), layout.pgBase().resolve("run"), c.port(), bin, OsUser.forPostgres());
        if (n.isRunning()) {
            long pid = n.pid().orElse(0);
            long t0 = System.nanoTime();
            n.stop("fast");
            step(String.format("%s stopped (pid %d, %.1f s)", c.name(), pid, (System.nanoTime() - t0) / 1e9));
        }
    }

    /** Runs {@code stop} for every component on its own thread and returns once all have returned. */
    private static void inParallel(List<Component> cs, java.util.function.Consumer<Component> stop) {
        java.util.Queue<RuntimeException> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
        List<Thread> threads = cs.stream()
                .map(c -> Thread.ofVirtual().name("stop-" + c.name()).start(() -> {
                    try {
                        stop.accept(c);
                    } catch (RuntimeException e) {
                        failures.add(new IllegalStateException("cannot stop " + c.name() + ": " + e.getMessage(), e));
                    }
                }))
                .toList();
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while stopping", e);
            }
        }
        if (!failures.isEmpty()) {
            throw failures.peek();
        }
    }

    private synchronized void step(String what) {
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
