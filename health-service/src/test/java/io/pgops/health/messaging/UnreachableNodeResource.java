package io.pgops.health.messaging;

import io.pgops.stack.process.Ports;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Fast-test wiring: the outgoing channel goes to the in-memory connector, and the inventory names
 * one node on a loopback port where nothing listens, probed every 200 ms.
 */
public class UnreachableNodeResource implements QuarkusTestResourceLifecycleManager {
    static final int CLOSED_PORT = Ports.free();

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(InMemoryConnector.switchOutgoingChannelsToInMemory("health-events"));
        config.putAll(InMemoryConnector.switchIncomingChannelsToInMemory("topology", "backup-events"));
        try {
            Path pw = Files.createTempFile("pgops-test-", ".password");
            Files.writeString(pw, "not-used\n");
            pw.toFile().deleteOnExit();
            config.put("pgops.clusters.lab.credentials.password-file", pw.toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        config.put("pgops.clusters.lab.credentials.username", "pgops");
        config.put("pgops.clusters.lab.nodes.db1.host", "127.0.0.1");
        config.put("pgops.clusters.lab.nodes.db1.port", Integer.toString(CLOSED_PORT));
        config.put("pgops.health.interval", "200ms");
        config.put("pgops.health.connect-timeout", "500ms");
        return config;
    }

    @Override
    public void stop() {
        InMemoryConnector.clear();
    }
}
