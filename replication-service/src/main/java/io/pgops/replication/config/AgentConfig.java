package io.pgops.replication.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The agent role ({@code pgops.agent.*}): a replication-service started beside one PostgreSQL node,
 * the only process that touches that node. Set {@code cluster} and {@code node} to make an instance
 * an agent; the node's address and credentials come from the inventory.
 */
@ConfigMapping(prefix = "pgops.agent")
public interface AgentConfig {

    /** Cluster id of the node this agent sits beside (a key of pgops.clusters). */
    Optional<String> cluster();

    /** Node name of the node this agent sits beside (a key of pgops.clusters.<id>.nodes). */
    Optional<String> node();

    /** How long one look at the node may take before it counts as not answering. */
    @WithDefault("1s")
    Duration statusTimeout();
}
