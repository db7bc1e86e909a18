package io.pgops.stack;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the stack keeps everything, under one data directory, and which ports it prefers.
 *
 * <p>Default data directory: {@code PGOPS_DATA_DIR}, else {@code /var/tmp/pgops-<user>} — a place the
 * unprivileged PostgreSQL account can reach even when the repository sits in root's home. Preferred
 * ports derive from {@code PGOPS_PORT_BASE} (default 15400); a port taken by another program is
 * replaced by a free one and remembered in stack.json.
 */
public record StackLayout(Path repo, Path dataDir, int portBase) {
    public static final String CLUSTER_ID = "local";
    public static final List<String> NODES = List.of("node1", "node2", "node3");
    public static final String PGOPS_DB = "pgops-db";
    public static final List<String> SERVICES =
            List.of("audit-service", "health-service", "replication-service", "backup-service", "maintenance-service");

    public static StackLayout fromEnvironment(Path repo) {
        String dir = System.getenv("PGOPS_DATA_DIR");
        Path data = dir != null && !dir.isBlank()
                ? Path.of(dir).toAbsolutePath()
                : Path.of("/var/tmp", "pgops-" + System.getProperty("user.name"));
        int base = Integer.parseInt(System.getenv().getOrDefault("PGOPS_PORT_BASE", "15400"));
        return new StackLayout(repo, data, base);
    }

    public Path pgBase() {
        return dataDir.resolve("pg");
    }

    public Path kafkaDir() {
        return dataDir.resolve("kafka");
    }

    public Path secretsDir() {
        return dataDir.resolve("secrets");
    }

    public Path configDir() {
        return dataDir.resolve("config");
    }

    public Path logDir() {
        return dataDir.resolve("logs");
    }

    public Path stateFile() {
        return dataDir.resolve("stack.json");
    }

    public Path serviceJar(String service) {
        return repo.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** The agent (a replication-service in the agent role) beside each node. */
    public static String agentOf(String node) {
        return "agent-" + node;
    }

    public Path routingDir() {
        return dataDir.resolve("routing");
    }

    public int preferredPort(String component) {
        return switch (component) {
            case "haproxy" -> portBase + 50;
            case "haproxy-read" -> portBase + 51;
            case "pgbouncer" -> portBase + 64;
            case "agent-node1" -> portBase + 86;
            case "agent-node2" -> portBase + 87;
            case "agent-node3" -> portBase + 88;
            case "kafka" -> portBase + 92;
            case "kafka-controller" -> portBase + 93;
            case "kafka-secure" -> portBase + 94;
            case "node1" -> portBase + 32;
            case "node2" -> portBase + 33;
            case "node3" -> portBase + 34;
            case PGOPS_DB -> portBase + 40;
            default -> {
                int i = SERVICES.indexOf(component);
                if (i < 0) {
                    throw new IllegalArgumentException("unknown component " + component);
                }
                yield portBase + 81 + i;
            }
        };
    }
}
