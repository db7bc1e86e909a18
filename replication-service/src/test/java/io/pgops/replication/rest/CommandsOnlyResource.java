package io.pgops.replication.rest;

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
 * {@code node1} and {@code node2}.
 */
public class CommandsOnlyResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
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
