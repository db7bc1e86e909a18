package io.pgops.stack.testkit;

import io.pgops.pgtools.Cmd;
import io.pgops.stack.kafka.KafkaBroker;
import io.pgops.stack.postgres.ClusterCa;
import io.pgops.stack.process.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The test stack's Kafka broker (same jars and settings as the local stack), started on first use, and what a
 * test does to it: SIGSTOP and SIGCONT, SIGKILL and a restart on the same ports and data, and a relay to a
 * second listener that cuts one client off ({@link TestStack#isolation}).
 */
final class TestKafka {
    private final Path dir;
    private final Path repo;
    private final String java;
    /** Starts a child process of the stack with its log under the stack's directory. */
    private final BiFunction<List<String>, String, Process> child;

    /** The broker's certificate and key for its secure listener, and the CA clients verify it with. */
    private final Supplier<ClusterCa> ca;
    /** The password of the services' Kafka user. */
    private final Supplier<String> password;

    private KafkaBroker broker;
    private TcpProxy route;
    private Process process;
    private int restarts;

    TestKafka(
            Path dir,
            Path repo,
            String java,
            BiFunction<List<String>, String, Process> child,
            Supplier<ClusterCa> ca,
            Supplier<String> password) {
        this.dir = dir;
        this.repo = repo;
        this.java = java;
        this.child = child;
        this.ca = ca;
        this.password = password;
    }

    /** The services' Kafka user on the secure listener (TLS + SASL/SCRAM). */
    static final String SERVICES_USER = "pgops-services";

    /** The broker's bootstrap servers; starts it (and creates pgops' topics) on first use. */
    synchronized String bootstrap() {
        if (broker == null) {
            int routed = Ports.free();
            route = TcpProxy.start(Ports.free(), routed);
            ClusterCa tls = ca.get();
            KafkaBroker b = new KafkaBroker(dir, KafkaBroker.locateLibs(repo), Ports.free(), Ports.free())
                    .withRoutedListener(routed, route.port())
                    .withSecureListener(
                            new KafkaBroker.SecureListener(Ports.free(), tls.serverCertificate(), tls.serverKey()));
            b.prepare(java);
            process = child.apply(b.command(java), "kafka");
            b.awaitReadyAndCreateTopics(Duration.ofSeconds(60));
            b.addScramUser(SERVICES_USER, password.get());
            b.grantServices(SERVICES_USER);
            broker = b;
        }
        return broker.bootstrapServers();
    }

    /** The secure listener's bootstrap servers (TLS + SASL/SCRAM), what the services use. */
    synchronized String secureBootstrap() {
        bootstrap();
        return broker.secureBootstrapServers();
    }

    /** What a client sets to reach the secure (or the routed) listener as the services' user, {@code kafka.}-less. */
    Map<String, String> secureClientSettings() {
        return KafkaBroker.secureClientSettings(ca.get().caCertificate(), SERVICES_USER, password.get());
    }

    /** A further user of the secure listener, granted nothing; what a client sets to connect as it. */
    synchronized Map<String, String> userWithoutGrants(String user, String userPassword) {
        bootstrap();
        broker.addScramUser(user, userPassword);
        Map<String, String> m = new java.util.LinkedHashMap<>(
                KafkaBroker.secureClientSettings(ca.get().caCertificate(), user, userPassword));
        m.put("bootstrap.servers", broker.secureBootstrapServers());
        return m;
    }

    /** The relay to the routed listener, started with the broker. */
    synchronized TcpProxy route() {
        bootstrap();
        return route;
    }

    /** The bootstrap servers through the relay. */
    synchronized String routedBootstrap() {
        return "127.0.0.1:" + route().port();
    }

    synchronized void pause() {
        bootstrap();
        Cmd.of("kill", "-STOP", Long.toString(process.pid())).run();
    }

    synchronized void resume() {
        Cmd.of("kill", "-CONT", Long.toString(process.pid())).run();
    }

    synchronized void kill() {
        bootstrap();
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the Kafka broker did not exit within 30 s of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Kafka broker to exit", e);
        }
    }

    synchronized void restart() {
        if (process.isAlive()) {
            throw new IllegalStateException("the Kafka broker runs: kill it first");
        }
        restarts++;
        process = child.apply(broker.command(java), "kafka-restart-" + restarts);
        broker.awaitReadyAndCreateTopics(Duration.ofSeconds(90));
    }

    /** The broker's process, or null before its first use. */
    synchronized Process process() {
        return process;
    }
}
