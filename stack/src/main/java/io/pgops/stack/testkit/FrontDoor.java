package io.pgops.stack.testkit;

import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.routing.Routing;
import java.util.List;
import java.util.Map;

/**
 * A cluster's front door: an agent per node and HAProxy + PgBouncer in front.
 *
 * @param agentUrls agent base URL by node name
 * @param agentNames the test stack's service name of each node's agent, by node name
 */
public record FrontDoor(
        String clusterId,
        List<PgNode> nodes,
        Map<String, String> agentUrls,
        Map<String, String> agentNames,
        Routing routing) {}
