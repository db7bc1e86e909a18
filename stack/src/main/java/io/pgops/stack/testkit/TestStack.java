package io.pgops.stack.testkit;

import io.pgops.pgtools.OsUser;
import io.pgops.pgtools.PgBinaries;
import io.pgops.stack.Http;
import io.pgops.stack.ServiceConfig;
import io.pgops.stack.auth.Tokens;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.postgres.PgTopology;
import io.pgops.stack.postgres.Secrets;
import io.pgops.stack.process.Daemons;
import io.pgops.stack.process.Ports;
import io.pgops.stack.process.Wait;
import io.pgops.stack.routing.Routing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * The real pieces for integration tests, on free loopback ports, shared by every test of one JVM:
 * a Kafka broker (same jars and settings as the local stack), pgops' own PostgreSQL, the 3-node
 * cluster and packaged services, each started on first use. A shutdown hook stops them, and a
 * watchdog process does it should the JVM be killed, so nothing outlives the test run. Nothing here
 * skips: a missing tool fails the test with what to install.
 */
public final class TestStack {
    private static TestStack instance;

    private final Path dir;
    private final Path repo;
    private final String java = ProcessHandle.current().info().command().orElse("java");
    private final Secrets secrets;
    private final Tokens tokens;
    private final Tokens agentCommands;
    private final PgTopology pg;
    private final List<PgNode> pgNodes = new ArrayList<>();
    private final List<Process> children = new ArrayList<>();
    private final TestKafka kafka;
    private final Map<String, Isolation> isolations = new java.util.HashMap<>();
    private PgNode pgopsDb;
    private List<PgNode> cluster;
    private Routing routing;
    private final Map<String, Map<String, String>> agentUrls = new java.util.HashMap<>();
    /** The clusters whose agents serve HTTPS. */
    private final java.util.Set<String> httpsClusters = new java.util.HashSet<>();

    private final Map<String, Process> services = new java.util.HashMap<>();
    private final Map<String, List<String>> serviceArgv = new java.util.HashMap<>();
    private final Map<String, String> serviceUrls = new java.util.HashMap<>();
    private String coordinatorUrl;

    private TestStack() {
        // what can fail for a missing tool fails before anything exists that would need cleaning up
        PgBinaries bin = PgBinaries.locate();
        OsUser pgUser = OsUser.forPostgres();
        try {
            dir = Files.createTempDirectory(
                    Path.of("/tmp"),
                    "pgops-it-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a test directory in /tmp", e);
        }
        Watchdog.guard(dir, pgUser, bin);
        repo = Path.of(System.getProperty("pgops.repo.dir", ".."))
                .toAbsolutePath()
                .normalize();
        secrets = new Secrets(dir.resolve("secrets"));
        tokens = Tokens.in(secrets.dir());
        agentCommands = Tokens.agentCommands(secrets.dir());
        pg = new PgTopology(dir.resolve("pg"), bin, pgUser, secrets);
        // its methods are called under this stack's lock (always taken first), as is child()
        kafka = new TestKafka(
                dir.resolve("kafka"), repo, java, this::child, pg::ca, () -> secrets.password(TestKafka.SERVICES_USER));
        Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "pgops-test-stack-stop"));
    }

    /** The shared stack of this JVM. */
    public static synchronized TestStack get() {
        if (instance == null) {
            instance = new TestStack();
        }
        return instance;
    }

    /**
     * The broker's plaintext bootstrap servers, for the tests' own taps and tools; starts it (and creates pgops' topics)
     * on first use. The services the stack starts use its secure listener ({@link #serviceConfig}).
     */
    public synchronized String kafkaBootstrap() {
        return kafka.bootstrap();
    }

    /**
     * A user of the broker's secure listener that was granted nothing (as a system that subscribes to pgops' topics
     * would be before an operator grants it reads): what a client sets ({@code kafka.}-less) to connect as it.
     */
    public synchronized Map<String, String> kafkaUserWithoutGrants(String user) {
        return kafka.userWithoutGrants(user, secrets.password("kafka-" + user));
    }

    /**
     * The broker's bootstrap servers through a relay a test can cut ({@link #isolation}): a client configured with
     * it reaches Kafka only through the relay.
     */
    public synchronized String kafkaRoutedBootstrap() {
        return kafka.routedBootstrap();
    }

    /**
     * SIGSTOP to the Kafka broker: every client's requests time out, as with a broker whose host froze or a
     * network that drops its packets. {@link #resumeKafka} ends it.
     */
    public synchronized void pauseKafka() {
        kafka.pause();
    }

    /**
     * SIGKILL to the Kafka broker, waiting until it is gone: every client finds its port closed (connection
     * refused), as after a crash of the broker's host. {@link #restartKafka} starts it again.
     */
    public synchronized void killKafka() {
        kafka.kill();
    }

    /** Starts the broker {@link #killKafka} killed, on its ports and data, and waits until it serves again. */
    public synchronized void restartKafka() {
        kafka.restart();
    }

    /** SIGCONT after {@link #pauseKafka}. */
    public synchronized void resumeKafka() {
        kafka.resume();
    }

    /** pgops' own PostgreSQL, started on first use. */
    public synchronized PgNode pgopsDb() {
        if (pgopsDb == null) {
            pgopsDb = pg.pgopsDatabase("pgops-db", Ports.free());
            pgNodes.add(pgopsDb);
        }
        return pgopsDb;
    }

    public Path dir() {
        return dir;
    }

    public Secrets secrets() {
        return secrets;
    }

    /**
     * This run's bearer tokens: every service started here (and every {@code @QuarkusTest} with
     * {@link PgopsTestResource}) verifies them. {@code tokens().bearer(Tokens.OPERATOR)} is an
     * {@code Authorization} header's value.
     */
    public Tokens tokens() {
        return tokens;
    }

    /**
     * This run's coordinators' key for agent operations: coordinators started here sign with it, agents verify
     * with its public half; a test that calls an agent itself signs the replication-service's claims with it.
     */
    public Tokens agentCommands() {
        return agentCommands;
    }

    /** {@code Bearer <token>} of {@code role} from this run's key ({@link #tokens()}). */
    public static String bearer(String role) {
        return get().tokens().bearer(role);
    }

    /** The 3-node cluster (primary, sync standby, async standby), built on first use. */
    public synchronized List<PgNode> cluster() {
        if (cluster == null) {
            List<String> names = List.of("node1", "node2", "node3");
            List<Integer> ports =
                    IntStream.range(0, 3).mapToObj(i -> Ports.free()).toList();
            List<PgNode> nodes = pg.cluster(new PgTopology.ClusterSpec("it", names, ports));
            pgNodes.addAll(nodes);
            PgTopology.awaitReplication(nodes.getFirst(), nodes.subList(1, 3), Duration.ofSeconds(60));
            cluster = nodes;
        }
        return cluster;
    }

    /**
     * A further 3-node cluster of its own ({@code <id>-node1} primary, {@code <id>-node2} sync,
     * {@code <id>-node3} async), for tests that kill, pause or promote nodes and must not disturb
     * the shared {@link #cluster()}.
     */
    public synchronized List<PgNode> newCluster(String id) {
        List<String> names = List.of(id + "-node1", id + "-node2", id + "-node3");
        List<Integer> ports = IntStream.range(0, 3).mapToObj(i -> Ports.free()).toList();
        List<PgNode> nodes = pg.cluster(new PgTopology.ClusterSpec(id, names, ports));
        pgNodes.addAll(nodes);
        PgTopology.awaitReplication(nodes.getFirst(), nodes.subList(1, 3), Duration.ofSeconds(60));
        return nodes;
    }

    /**
     * Starts a packaged service ({@code <module>/target/quarkus-app}) against this stack, with the
     * inventory of {@link #cluster()} when {@code withCluster}, and waits until it is ready.
     *
     * @return its HTTP base URL
     */
    public synchronized String startService(String module, boolean withCluster, Map<String, String> extra) {
        return startService(module, module, withCluster, extra);
    }

    /** As {@link #startService(String, boolean, Map)}, for a second instance of a module under its own name. */
    public synchronized String startService(
            String name, String module, boolean withCluster, Map<String, String> extra) {
        Map<String, String> config = new java.util.LinkedHashMap<>();
        if (withCluster) {
            config.putAll(inventory("it", cluster()));
        }
        config.putAll(extra);
        return startService(name, module, config);
    }

    /**
     * Starts a packaged service under {@code name} with {@code config} (plus this stack's Kafka and
     * pgops' database; {@code quarkus.http.port} a free port unless given) and waits until it is ready.
     */
    public synchronized String startService(String name, String module, Map<String, String> config) {
        String url = prepareService(name, module, config);
        launch(List.of(name));
        return url;
    }

    /**
     * What a service needs to serve HTTPS only, on {@code port}, with the stack's loopback certificate (verified
     * against {@link #caCertificate}): a TLS configuration of its own named {@code https} for the HTTP server (no
     * client of the service takes it up), plain HTTP refused. {@link #startService} then returns an {@code https} URL
     * and waits for readiness over it.
     */
    public Map<String, String> httpsSettings(int port) {
        io.pgops.stack.postgres.ClusterCa ca = ca();
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("quarkus.tls.https.key-store.pem.0.cert", ca.serverCertificate().toString());
        m.put("quarkus.tls.https.key-store.pem.0.key", ca.serverKey().toString());
        m.put("quarkus.http.tls-configuration-name", "https");
        m.put("quarkus.http.ssl-port", Integer.toString(port));
        m.put("quarkus.http.insecure-requests", "disabled");
        return m;
    }

    /** Writes a service's configuration and command line without starting it; its URL. */
    private String prepareService(String name, String module, Map<String, String> config) {
        Path jar = repo.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: package the services first (./mvnw package)");
        }
        Map<String, String> all = new java.util.LinkedHashMap<>(serviceConfig());
        all.putAll(config);
        all.putIfAbsent("quarkus.http.port", Integer.toString(Ports.free()));
        int port = Integer.parseInt(all.get("quarkus.http.port"));
        boolean https = all.containsKey("quarkus.http.ssl-port");
        if (https) {
            port = Integer.parseInt(all.get("quarkus.http.ssl-port"));
        }
        Path file = dir.resolve(name + ".properties");
        Secrets.writePrivate(file, ServiceConfig.properties(name + " under test", all));
        List<String> argv = List.of(
                java,
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dquarkus.config.locations=" + file.toUri(),
                "-jar",
                jar.toString());
        String url = (https ? "https" : "http") + "://127.0.0.1:" + port;
        serviceArgv.put(name, argv);
        serviceUrls.put(name, url);
        return url;
    }

    /** Starts the prepared services all at once (their JVMs start side by side), then waits until each is ready. */
    private void launch(List<String> names) {
        for (String name : names) {
            services.put(name, child(serviceArgv.get(name), name));
        }
        for (String name : names) {
            Process p = services.get(name);
            String url = serviceUrls.get(name);
            Path log = dir.resolve(name + ".log");
            java.net.http.HttpClient client = url.startsWith("https:") ? Http.trusting(caCertificate()) : null;
            Wait.until(name + " to be ready at " + url + " (log: " + log + ")", Duration.ofSeconds(90), () -> {
                if (!p.isAlive()) {
                    throw new IllegalStateException(name + " exited:\n" + Daemons.tail(log, 20));
                }
                String ready = url + "/q/health/ready";
                return (client == null ? Http.status(ready) : Http.status(client, ready)) == 200;
            });
        }
    }

    /** Kills a service started by this stack with SIGKILL, as a crash would, and waits for its end. */
    public synchronized void killService(String name) {
        Process p = services.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no service " + name);
        }
        p.destroyForcibly();
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGSTOP to a service started by this stack: it hangs, as a stalled VM or a long GC pause would. */
    public synchronized void pauseService(String name) {
        signalService(name, "STOP");
    }

    /** SIGCONT after {@link #pauseService}. */
    public synchronized void resumeService(String name) {
        signalService(name, "CONT");
    }

    private void signalService(String name, String signal) {
        Process p = services.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no service " + name);
        }
        io.pgops.pgtools.Cmd.of("kill", "-" + signal, Long.toString(p.pid())).run();
    }

    /** Whether a service started by this stack still runs. */
    public synchronized boolean isAlive(String name) {
        Process p = services.get(name);
        return p != null && p.isAlive();
    }

    /** The threads of a running service ({@code jcmd <pid> Thread.print}), for a failure message. */
    public synchronized String threadDump(String name) {
        Process p = services.get(name);
        if (p == null || !p.isAlive()) {
            return "(" + name + " is not running)";
        }
        Path jcmd = Path.of(java).resolveSibling("jcmd");
        try {
            Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(p.pid()), "Thread.print")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            dump.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "(no thread dump: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(no thread dump: interrupted)";
        }
    }

    /** The CA that signed the test clusters' server certificate ({@code sslrootcert}). */
    public Path caCertificate() {
        return pg.ca().caCertificate();
    }

    /** The stack's CA and its loopback server certificate (PEM files), made on first use. */
    public io.pgops.stack.postgres.ClusterCa ca() {
        return pg.ca();
    }

    /** Starts a killed service again with the same configuration and port; its URL. */
    public synchronized String restartService(String name) {
        Process p = services.get(name);
        if (p != null && p.isAlive()) {
            return serviceUrls.get(name);
        }
        launch(List.of(name));
        return serviceUrls.get(name);
    }

    /**
     * The inventory of a cluster as services read it, with each node's agent URL once its front door
     * ({@link #frontDoor}) exists.
     */
    public synchronized Map<String, String> inventory(String clusterId, List<PgNode> nodes) {
        Map<String, String> m = new java.util.LinkedHashMap<>(
                ServiceConfig.inventory(clusterId, nodes, secrets.file(PgTopology.PGOPS_USER), pg.caCertificate()));
        Map<String, String> urls = agentUrls.getOrDefault(clusterId, Map.of());
        urls.forEach((node, url) -> m.put("pgops.clusters." + clusterId + ".nodes." + node + ".agent-url", url));
        return m;
    }

    /**
     * Starts an agent (replication-service in the agent role, able to act on its node) beside each node
     * of a cluster, HAProxy checking them and PgBouncer in front of HAProxy's write port. No coordinator:
     * start one or more with {@link #startCoordinator}.
     */
    public synchronized FrontDoor frontDoor(String clusterId, List<PgNode> nodes) {
        return frontDoor(clusterId, nodes, null);
    }

    /**
     * A cluster's front door whose agent beside {@code isolable} (a node name; null: none) reaches Kafka and the
     * other agents only through relays, which {@link #isolation}{@code (clusterId).cut()} cuts: that agent is cut
     * off from Kafka and its peers while the coordinators still reach it and its PostgreSQL. The Kafka relay is
     * one for the whole stack: isolate one cluster at a time.
     */
    public synchronized FrontDoor frontDoor(String clusterId, List<PgNode> nodes, String isolable) {
        return frontDoor(clusterId, nodes, isolable, false);
    }

    /**
     * As {@link #frontDoor(String, List, String)}; with {@code https} the agents serve HTTPS only ({@link
     * #httpsSettings}), HAProxy checks them over TLS against the stack's CA, and the agents and this cluster's
     * coordinators verify each other's agents with it ({@link #agentTrust}).
     */
    public synchronized FrontDoor frontDoor(String clusterId, List<PgNode> nodes, String isolable, boolean https) {
        Map<String, Integer> ports = new java.util.LinkedHashMap<>();
        Map<String, String> urls = new java.util.LinkedHashMap<>();
        if (https) {
            httpsClusters.add(clusterId);
        }
        for (PgNode n : nodes) {
            int port = Ports.free();
            ports.put(n.name(), port);
            urls.put(n.name(), (https ? "https" : "http") + "://127.0.0.1:" + port);
        }
        agentUrls.put(clusterId, urls);
        Map<String, String> isolatedConfig = new java.util.LinkedHashMap<>();
        if (isolable != null) {
            List<TcpProxy> peers = new ArrayList<>();
            for (PgNode n : nodes) {
                if (!n.name().equals(isolable)) {
                    TcpProxy peer = TcpProxy.start(Ports.free(), ports.get(n.name()));
                    peers.add(peer);
                    isolatedConfig.put(
                            "pgops.clusters." + clusterId + ".nodes." + n.name() + ".agent-url",
                            "http://127.0.0.1:" + peer.port());
                }
            }
            isolatedConfig.put("kafka.bootstrap.servers", kafkaRoutedBootstrap());
            isolations.put(clusterId, new Isolation(isolable, kafka.route(), List.copyOf(peers)));
        }
        Map<String, String> names = new java.util.LinkedHashMap<>();
        List<Routing.Backend> backends = new ArrayList<>();
        for (PgNode n : nodes) {
            Map<String, String> config = new java.util.LinkedHashMap<>(inventory(clusterId, nodes));
            if (n.name().equals(isolable)) {
                config.putAll(isolatedConfig);
            }
            config.putAll(agentSettings(clusterId, n, ports.get(n.name())));
            if (https) {
                config.putAll(httpsSettings(ports.get(n.name())));
                config.put("quarkus.http.port", Integer.toString(Ports.free())); // closed: insecure requests disabled
                config.putAll(agentTrust(clusterId));
            }
            String name = "agent-" + n.name();
            prepareService(name, "replication-service", config);
            names.put(n.name(), name);
            backends.add(new Routing.Backend(n, ports.get(n.name()), https ? caCertificate() : null));
        }
        launch(List.copyOf(names.values()));
        Routing r = new Routing(dir.resolve("routing-" + clusterId), Ports.free(), Ports.free(), Ports.free());
        OsUser pgUser = OsUser.forPostgres();
        r.writeConfig(backends, PgTopology.PGOPS_USER, secrets.password(PgTopology.PGOPS_USER), pgUser);
        child(r.haproxyCommand(), "haproxy-" + clusterId);
        child(r.pgbouncerCommand(pgUser), "pgbouncer-" + clusterId);
        Wait.until(
                "HAProxy and PgBouncer to listen",
                Duration.ofSeconds(30),
                () -> Ports.answers(r.writePort()) && Ports.answers(r.bouncerPort()));
        return new FrontDoor(clusterId, nodes, urls, names, r);
    }

    /**
     * How a replication-service verifies the agents of {@code clusterId} when they serve HTTPS: the TLS configuration
     * named {@code agents} trusting the stack's CA; nothing for agents on HTTP.
     */
    private Map<String, String> agentTrust(String clusterId) {
        return httpsClusters.contains(clusterId)
                ? Map.of(
                        "quarkus.tls.agents.trust-store.pem.certs",
                        caCertificate().toString())
                : Map.of();
    }

    /** What the agent beside {@code n} needs to act on its node and to take the coordinators' commands. */
    private Map<String, String> agentSettings(String clusterId, PgNode n, int port) {
        Map<String, String> config = new java.util.LinkedHashMap<>();
        config.put("pgops.agent.cluster", clusterId);
        config.put("pgops.agent.node", n.name());
        config.put("pgops.agent.data-dir", n.dataDir().toString());
        config.put("pgops.agent.server-options", n.serverOptions());
        config.put("pgops.agent.log-file", n.logFile().toString());
        config.put("pgops.agent.replication.username", PgTopology.REPLICATION_USER);
        config.put(
                "pgops.agent.replication.password-file",
                secrets.file(PgTopology.REPLICATION_USER).toString());
        config.put("quarkus.http.port", Integer.toString(port));
        config.putAll(agentCommands.agentAuthConfig(false));
        return config;
    }

    /** The relays of the isolable agent of {@code clusterId}'s front door. */
    public synchronized Isolation isolation(String clusterId) {
        Isolation i = isolations.get(clusterId);
        if (i == null) {
            throw new IllegalStateException(clusterId + "'s front door has no isolable agent");
        }
        return i;
    }

    /** Starts a replication-service in the coordinator role for a cluster whose front door exists; its URL. */
    public synchronized String startCoordinator(String name, String clusterId, List<PgNode> nodes) {
        return startCoordinator(name, clusterId, nodes, Map.of());
    }

    /** As {@link #startCoordinator(String, String, List)}, with extra settings (e.g. inventory tags). */
    public synchronized String startCoordinator(
            String name, String clusterId, List<PgNode> nodes, Map<String, String> extra) {
        return startCoordinators(List.of(name), clusterId, nodes, List.of(extra))
                .getFirst();
    }

    /**
     * Several coordinators of one cluster, their JVMs started side by side ({@code extras.get(i)}: the settings of
     * {@code names.get(i)}); their URLs, once each is ready.
     */
    public synchronized List<String> startCoordinators(
            List<String> names, String clusterId, List<PgNode> nodes, List<Map<String, String>> extras) {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Map<String, String> config = new java.util.LinkedHashMap<>(inventory(clusterId, nodes));
            config.putAll(extras.get(i));
            config.put("pgops.coordinator.enabled", "true");
            config.putAll(agentCommands.agentAuthConfig(true));
            config.putAll(agentTrust(clusterId));
            // coordinators of one group must share one inventory: each test cluster has a group of its own
            config.putIfAbsent("pgops.coordinator.group", "pgops-coordinators-" + clusterId);
            urls.add(prepareService(names.get(i), "replication-service", config));
        }
        launch(names);
        return urls;
    }

    /**
     * The shared cluster's front door ({@link #frontDoor}) with a coordinator, which publishes the
     * topology the agents' {@code /primary} answers depend on. Started on first use.
     */
    public synchronized Routing routing() {
        if (routing == null) {
            FrontDoor fd = frontDoor("it", cluster());
            coordinatorUrl = startCoordinator("coordinator-it", "it", cluster());
            String primaryAgent = fd.agentUrls().get(cluster().getFirst().name());
            Wait.until(
                    "the coordinator's topology to reach the agents (" + primaryAgent + "/primary = 200)",
                    Duration.ofSeconds(60),
                    () -> Http.status(primaryAgent + "/primary") == 200);
            routing = fd.routing();
        }
        return routing;
    }

    /** The URL of the shared cluster's coordinator (after {@link #routing()}). */
    public synchronized String coordinatorUrl() {
        routing();
        return coordinatorUrl;
    }

    /** The base URL of the agent beside {@code node} of the shared cluster (after {@link #routing()}). */
    public synchronized String agentUrl(String node) {
        routing();
        return agentUrls.get("it").get(node);
    }

    /**
     * What a service needs to reach this stack's Kafka (its secure listener: TLS verified against the stack's CA, then
     * SASL/SCRAM-SHA-512 as the services' user) and pgops' own database, and to verify its tokens. Holds passwords:
     * the stack writes it only into files of mode 600.
     */
    public synchronized Map<String, String> serviceConfig() {
        Map<String, String> m = new java.util.HashMap<>(Map.of(
                "mp.jwt.verify.publickey.location",
                tokens.keySetFile().toString(),
                "mp.jwt.verify.issuer",
                Tokens.ISSUER,
                "kafka.bootstrap.servers",
                kafka.secureBootstrap(),
                "quarkus.datasource.reactive.url",
                "postgresql://127.0.0.1:" + pgopsDb().port() + "/pgops",
                "quarkus.datasource.username",
                PgTopology.PGOPS_USER,
                "quarkus.datasource.password",
                secrets.password("pgops-db")));
        m.putAll(ServiceConfig.pgopsDbTls(pg.caCertificate()));
        kafka.secureClientSettings().forEach((k, v) -> m.put("kafka." + k, v));
        return Map.copyOf(m);
    }

    private static void awaitExit(Process p) {
        try {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Process child(List<String> argv, String name) {
        Process p = Daemons.startChild(argv, dir.resolve(name + ".log"), dir);
        children.add(p);
        try {
            Files.writeString(
                    dir.resolve(Watchdog.PIDS), p.pid() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException("cannot record pid", e);
        }
        return p;
    }

    private void shutdown() {
        // every service at once (each takes a second or two to stop), then the broker they use
        List<Process> rest =
                children.reversed().stream().filter(p -> p != kafka.process()).toList();
        long step = System.nanoTime();
        rest.forEach(Process::destroy);
        for (Process p : rest) {
            awaitExit(p);
        }
        step = slow(step, rest.size() + " services");
        Process broker = kafka.process();
        if (broker != null) {
            broker.destroy();
            awaitExit(broker);
        }
        step = slow(step, "the broker");
        // all at once: one after the other, the 13 nodes of the replication tests took 26 s (~2 s each),
        // and surefire stops waiting for shutdown hooks after 30 s
        List<Thread> stops = pgNodes.stream()
                .map(n -> Thread.ofPlatform().start(() -> n.stop("immediate")))
                .toList();
        for (Thread t : stops) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(100));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        slow(step, pgNodes.size() + " PostgreSQL nodes");
        Watchdog.deleteTree(dir);
    }

    /**
     * Says on stderr when a step of the shutdown took more than 5 s: surefire stops waiting for a JVM's
     * shutdown hooks after 30 s (the watchdog then cleans up).
     */
    private static long slow(long since, String what) {
        long now = System.nanoTime();
        if (now - since > TimeUnit.SECONDS.toNanos(5)) {
            System.err.printf("pgops test stack: stopping %s took %.1f s%n", what, (now - since) / 1e9);
        }
        return now;
    }
}
