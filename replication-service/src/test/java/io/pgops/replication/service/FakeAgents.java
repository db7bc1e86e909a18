package io.pgops.replication.service;

import io.pgops.stack.process.Ports;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Wiring for {@link AgentClientTest}: an inventory of cluster {@code fake} whose agents {@code node1},
 * {@code node2} and {@code node4} are the test's own HTTP server (on {@code test.fake-agents.port}, by path
 * prefix); {@code node3}'s agent-url is a port where nothing listens; {@code self} is this very test
 * application (an instance that is no agent); {@code node5} has no agent-url; {@code node6}'s agent is one the
 * test starts on {@code test.fake-agents.gone-port} and stops mid-operation. No coordinator, Kafka on a port where
 * nothing listens, agent-timeout 3 s.
 */
public class FakeAgents implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        int fake = Ports.free();
        int self = Ports.free();
        int gone = Ports.free();
        String base = "http://127.0.0.1:" + fake;
        Map<String, String> config = new HashMap<>();
        config.put("test.fake-agents.port", Integer.toString(fake));
        config.put("test.fake-agents.gone-port", Integer.toString(gone));
        config.put("pgops.coordinator.enabled", "false");
        config.put("pgops.coordinator.agent-timeout", "3s");
        config.put("quarkus.http.test-port", Integer.toString(self));
        config.put("kafka.bootstrap.servers", "127.0.0.1:" + Ports.free());
        config.put("quarkus.log.category.\"org.apache.kafka\".level", "ERROR");
        try {
            Path pw = Files.createTempFile("pgops-test-", ".password");
            Files.writeString(pw, "not-used\n");
            pw.toFile().deleteOnExit();
            config.put("pgops.clusters.fake.credentials.password-file", pw.toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        config.put("pgops.clusters.fake.credentials.username", "pgops");
        try { // the coordinators' key pair; the scripted agents verify what they receive with its public half
            Path keys = Files.createTempDirectory("pgops-agent-keys-");
            config.putAll(io.pgops.stack.auth.Tokens.agentCommands(keys).agentAuthConfig(true));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> urls = Map.of(
                "node1", base + "/node1",
                "node2", base + "/node2/",
                "node3", "http://127.0.0.1:" + Ports.free(),
                "node4", base + "/node4",
                "node6", "http://127.0.0.1:" + gone,
                "self", "http://127.0.0.1:" + self);
        for (String node : List.of("node1", "node2", "node3", "node4", "node5", "node6", "self")) {
            config.put("pgops.clusters.fake.nodes." + node + ".host", "127.0.0.1");
            config.put("pgops.clusters.fake.nodes." + node + ".port", Integer.toString(Ports.free()));
            if (urls.containsKey(node)) {
                config.put("pgops.clusters.fake.nodes." + node + ".agent-url", urls.get(node));
            }
        }
        return config;
    }

    @Override
    public void stop() {}
}
