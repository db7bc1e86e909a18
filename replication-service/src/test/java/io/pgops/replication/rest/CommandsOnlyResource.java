package io.pgops.replication.rest;

import io.pgops.stack.auth.Tokens;
import io.pgops.stack.process.Ports;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Fast-test wiring for the REST surface alone: no coordinator, Kafka on a port where nothing listens (the
 * test replaces the publisher and the topology view), and an inventory of one cluster {@code local} with
 * {@code node1} and {@code node2}. Tokens are verified with a key pair made for this JVM ({@link #TOKENS}).
 */
public class CommandsOnlyResource implements QuarkusTestResourceLifecycleManager {
    /** This JVM's token key: the service verifies with its public key, the tests mint with it. */
    static final Tokens TOKENS = tokens();

    private static Tokens tokens() {
        try {
            Path dir = Files.createTempDirectory("pgops-test-tokens-");
            dir.toFile().deleteOnExit();
            return Tokens.in(dir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(TOKENS.serviceConfig());
        config.put("pgops.coordinator.enabled", "false");
        config.put("kafka.bootstrap.servers", "127.0.0.1:" + Ports.free());
        config.put("quarkus.log.category.\"org.apache.kafka\".level", "ERROR");
        try {
            Path pw = Files.createTempFile("pgops-test-", ".password");
            Files.writeString(pw, "not-used\n");
            pw.toFile().deleteOnExit();
            config.put("pgops.clusters.local.credentials.password-file", pw.toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        config.put("pgops.clusters.local.credentials.username", "pgops");
        for (String node : new String[] {"node1", "node2"}) {
            config.put("pgops.clusters.local.nodes." + node + ".host", "127.0.0.1");
            config.put("pgops.clusters.local.nodes." + node + ".port", Integer.toString(Ports.free()));
        }
        return config;
    }

    @Override
    public void stop() {}
}
