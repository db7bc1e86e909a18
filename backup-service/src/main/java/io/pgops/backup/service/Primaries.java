package io.pgops.backup.service;

import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.events.replication.TopologyChanged;
import io.pgops.kit.inventory.Inventory;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which node of a cluster is the primary: the latest topology's current primary (an older term replayed later
 * is ignored), else the inventory's node with role hint {@code primary}, else its first node.
 */
@ApplicationScoped
public class Primaries {
    private final Map<ClusterId, TopologyChanged> latest = new ConcurrentHashMap<>();

    public void record(TopologyChanged tc) {
        latest.merge(tc.cluster(), tc, (old, now) -> now.term().compareTo(old.term()) >= 0 ? now : old);
    }

    public NodeName of(ClusterId id, Inventory.Cluster c) {
        TopologyChanged tc = latest.get(id);
        if (tc != null
                && tc.currentPrimary() != null
                && c.nodes().containsKey(tc.currentPrimary().value())) {
            return tc.currentPrimary();
        }
        return NodeName.of(c.nodes().entrySet().stream()
                .filter(n -> n.getValue().roleHint().orElse("").equals("primary"))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(c.nodes().keySet().iterator().next()));
    }
}
