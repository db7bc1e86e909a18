package io.pgops.stack.kafka;

import io.pgops.events.Topics;
import io.pgops.pgtools.Cmd;
import io.pgops.stack.postgres.Secrets;
import io.pgops.stack.process.Wait;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * A single-node Apache Kafka broker in KRaft mode, run from the jars kafka-dist copied out of Maven
 * Central. Storage is formatted on first start; pgops' topics are created explicitly.
 */
public final class KafkaBroker {
    /** Partitions per pgops topic: the key (cluster id) keeps one cluster's story on one partition. */
    public static final int PARTITIONS = 3;

    private final Path dir;
    private final Path libs;
    private final int port;
    private final int controllerPort;

    /** A second listener's port, and the port it advertises (a relay a test can cut); 0: none. */
    private final int routedPort;

    private final int routedAdvertisedPort;

    /** The listener the services use, TLS and SASL/SCRAM (the routed one then too); null: none. */
    private final SecureListener secure;

    /**
     * A listener that takes only TLS connections (the broker's certificate and key, PEM files) that then
     * authenticate with SASL/SCRAM-SHA-512 as a user {@link #addScramUser} made.
     */
    public record SecureListener(int port, Path certificate, Path key) {}

    /** The SASL mechanism of the {@link SecureListener}. */
    public static final String SCRAM = "SCRAM-SHA-512";

    public KafkaBroker(Path dir, Path libs, int port, int controllerPort) {
        this(dir, libs, port, controllerPort, 0, 0, null);
    }

    private KafkaBroker(
            Path dir,
            Path libs,
            int port,
            int controllerPort,
            int routedPort,
            int routedAdvertisedPort,
            SecureListener secure) {
        this.dir = dir;
        this.libs = libs;
        this.port = port;
        this.controllerPort = controllerPort;
        this.routedPort = routedPort;
        this.routedAdvertisedPort = routedAdvertisedPort;
        this.secure = secure;
    }

    /**
     * This broker with a second listener on {@code routedPort} that advertises {@code advertisedPort}: a client
     * bootstrapped on {@code advertisedPort} (a relay to {@code routedPort}) reaches the broker only through the
     * relay, so cutting the relay cuts that client alone off from Kafka.
     */
    public KafkaBroker withRoutedListener(int routedPort, int advertisedPort) {
        return new KafkaBroker(dir, libs, port, controllerPort, routedPort, advertisedPort, secure);
    }

    /**
     * This broker with a {@link SecureListener} beside its plaintext one (which stays for the stack's own tools and
     * the tests' taps); a routed listener then takes TLS and SASL too, as the client it serves is configured for the
     * secure listener.
     */
    public KafkaBroker withSecureListener(SecureListener listener) {
        return new KafkaBroker(dir, libs, port, controllerPort, routedPort, routedAdvertisedPort, listener);
    }

    /** The secure listener's bootstrap servers. */
    public String secureBootstrapServers() {
        if (secure == null) {
            throw new IllegalStateException("this broker has no secure listener");
        }
        return "127.0.0.1:" + secure.port();
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    /** Locates the broker's jars: system property pgops.kafka.libs, env PGOPS_KAFKA_LIBS, or the repo's. */
    public static Path locateLibs(Path repo) {
        String configured = System.getProperty("pgops.kafka.libs", System.getenv("PGOPS_KAFKA_LIBS"));
        Path libs = configured != null ? Path.of(configured) : repo.resolve("kafka-dist/target/kafka-libs");
        if (!Files.isDirectory(libs)) {
            throw new IllegalStateException("Kafka broker jars not found in " + libs
                    + ": build them with `./mvnw -q -f kafka-dist/pom.xml package`");
        }
        return libs;
    }

    /** Writes server.properties and formats the storage once. */
    public void prepare(String java) {
        Path props = dir.resolve("server.properties");
        try {
            Files.createDirectories(dir.resolve("data"));
            if (secure != null) {
                // Kafka's PEM key store: the private key (PKCS#8, unencrypted) then the certificate, in one file
                Secrets.writePrivate(
                        keyStore(), Files.readString(secure.key()) + "\n" + Files.readString(secure.certificate()));
            }
            Files.writeString(props, serverProperties());
            Files.writeString(dir.resolve("log4j2.properties"), LOG4J);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + props, e);
        }
        if (!Files.exists(dir.resolve("data/meta.properties"))) {
            Cmd.of(
                            java,
                            "-cp",
                            libs + "/*",
                            "kafka.tools.StorageTool",
                            "format",
                            "-t",
                            clusterUuid(),
                            "-c",
                            props.toString(),
                            "--ignore-formatted")
                    .timeoutSeconds(120)
                    .run();
        }
    }

    /** The broker's command line (the caller decides whether it runs detached or as a child). */
    public List<String> command(String java) {
        List<String> argv = new ArrayList<>(List.of(
                java,
                "-Xms128m",
                "-Xmx512m",
                "-XX:+UseSerialGC",
                "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"),
                "-Dpgops.component=kafka:" + dir,
                "-cp",
                libs + "/*",
                "kafka.Kafka",
                dir.resolve("server.properties").toString()));
        return argv;
    }

    private Path keyStore() {
        return dir.resolve("broker-keystore.pem");
    }

    private String serverProperties() {
        String routedProtocol = secure == null ? "PLAINTEXT" : "SASL_SSL";
        List<String> secured = new ArrayList<>();
        if (secure != null) {
            // with a secure listener the broker authorises: its users get what the ACLs grant them
            // (grantServices); the plaintext listeners (controller, inter-broker, the stack's own tools and the
            // tests' taps, on loopback) are ANONYMOUS, a super user
            secured.add("authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            secured.add("super.users=User:ANONYMOUS");
            for (String l : routedPort == 0 ? List.of("secure") : List.of("secure", "routed")) {
                String p = "listener.name." + l + ".";
                secured.add(p + "sasl.enabled.mechanisms=" + SCRAM);
                secured.add(p + SCRAM.toLowerCase(java.util.Locale.ROOT)
                        + ".sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;");
                secured.add(p + "ssl.keystore.type=PEM");
                secured.add(p + "ssl.keystore.location=" + keyStore());
            }
        }
        return String.join(
                        "\n",
                        "process.roles=broker,controller",
                        "node.id=1",
                        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort
                                + (routedPort == 0 ? "" : ",ROUTED://127.0.0.1:" + routedPort)
                                + (secure == null ? "" : ",SECURE://127.0.0.1:" + secure.port()),
                        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port
                                + (routedPort == 0 ? "" : ",ROUTED://127.0.0.1:" + routedAdvertisedPort)
                                + (secure == null ? "" : ",SECURE://127.0.0.1:" + secure.port()),
                        "controller.listener.names=CONTROLLER",
                        "inter.broker.listener.name=PLAINTEXT",
                        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
                                + (routedPort == 0 ? "" : ",ROUTED:" + routedProtocol)
                                + (secure == null ? "" : ",SECURE:SASL_SSL"),
                        String.join("\n", secured),
                        "log.dirs=" + dir.resolve("data"),
                        "num.partitions=" + PARTITIONS,
                        "auto.create.topics.enable=false",
                        // a single node: internal topics must have replication factor 1
                        "offsets.topic.replication.factor=1",
                        "transaction.state.log.replication.factor=1",
                        "transaction.state.log.min.isr=1",
                        "share.coordinator.state.topic.replication.factor=1",
                        "share.coordinator.state.topic.min.isr=1",
                        "group.initial.rebalance.delay.ms=0",
                        // a transaction left open by a crashed coordinator is aborted within its 5 s
                        // timeout + 1 s, not + 10 s (Kafka's default check interval)
                        "transaction.abort.timed.out.transaction.cleanup.interval.ms=1000",
                        "log.retention.hours=168",
                        "")
                + "\n";
    }

    private static final String LOG4J = String.join(
                    "\n",
                    "appender.out.type=Console",
                    "appender.out.name=out",
                    "appender.out.layout.type=PatternLayout",
                    "appender.out.layout.pattern=%d{ISO8601} %p %c{1} %m%n",
                    "rootLogger.level=WARN",
                    "rootLogger.appenderRef.out.ref=out",
                    "logger.started.name=kafka.server.KafkaRaftServer",
                    "logger.started.level=INFO")
            + "\n";

    private static String clusterUuid() {
        byte[] raw = new byte[16];
        SecureRandom random = new SecureRandom();
        String id;
        do {
            random.nextBytes(raw);
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        } while (id.startsWith("-"));
        return id;
    }

    /** Waits until the broker answers metadata requests, then creates the pgops topics that are missing. */
    public void awaitReadyAndCreateTopics(Duration timeout) {
        Wait.until("Kafka broker on " + bootstrapServers() + " to answer", timeout, this::answers);
        createTopics();
    }

    private boolean answers() {
        try (Admin admin = admin()) {
            return !admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty();
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public void createTopics() {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = Topics.all().stream()
                    .filter(t -> !existing.contains(t.name()))
                    .map(t -> new NewTopic(t.name(), PARTITIONS, (short) 1)
                            .configs(
                                    t.compacted()
                                            ? Map.of(
                                                    TopicConfig.CLEANUP_POLICY_CONFIG,
                                                    TopicConfig.CLEANUP_POLICY_COMPACT)
                                            : Map.of()))
                    .collect(Collectors.toList());
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create pgops topics: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Makes (or changes) a SCRAM-SHA-512 user of the secure listener, through the plaintext listener: the password
     * goes to the broker in a request, never on a command line.
     */
    public void addScramUser(String user, String password) {
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                            user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot make the Kafka user " + user + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * What the services' user may do, and no more: read, write and describe pgops' topics (prefix {@code pgops.}),
     * use consumer groups and transactional ids (the coordinators' fenced producers), write idempotently and describe
     * the cluster (the readiness check). Any other user of the secure listener may do nothing until granted.
     */
    public void grantServices(String user) {
        String principal = "User:" + user;
        List<AclBinding> acls = new ArrayList<>();
        java.util.function.BiConsumer<ResourcePattern, AclOperation> allow = (resource, op) ->
                acls.add(new AclBinding(resource, new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW)));
        var topics = new ResourcePattern(ResourceType.TOPIC, "pgops.", PatternType.PREFIXED);
        for (var op :
                List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS)) {
            allow.accept(topics, op);
        }
        var groups = new ResourcePattern(ResourceType.GROUP, "*", PatternType.LITERAL);
        allow.accept(groups, AclOperation.READ);
        allow.accept(groups, AclOperation.DESCRIBE);
        var transactions = new ResourcePattern(ResourceType.TRANSACTIONAL_ID, "*", PatternType.LITERAL);
        allow.accept(transactions, AclOperation.WRITE);
        allow.accept(transactions, AclOperation.DESCRIBE);
        var cluster = new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL);
        allow.accept(cluster, AclOperation.IDEMPOTENT_WRITE);
        allow.accept(cluster, AclOperation.DESCRIBE);
        try (Admin admin = admin()) {
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot grant " + principal + " its ACLs: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * What a client sets ({@code kafka.}-less names) to reach the secure listener as {@code user}: TLS verified
     * against {@code caCertificate} (the broker's address checked too), SASL/SCRAM with the password. Holds the
     * password: it goes only into files of mode 600.
     */
    public static Map<String, String> secureClientSettings(Path caCertificate, String user, String password) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("security.protocol", "SASL_SSL");
        m.put("sasl.mechanism", SCRAM);
        m.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                        + password + "\";");
        m.put("ssl.truststore.type", "PEM");
        m.put("ssl.truststore.location", caCertificate.toString());
        return m;
    }

    private Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        return Admin.create(p);
    }
}
