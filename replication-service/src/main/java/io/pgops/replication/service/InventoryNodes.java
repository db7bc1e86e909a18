package io.pgops.replication.service;

import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.kit.inventory.Inventory;
import io.pgops.replication.domain.NodeSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A cluster's nodes as the inventory lists them, sorted by name. */
public final class InventoryNodes {
    private InventoryNodes() {}

    public static List<NodeSpec> of(Inventory inventory, ClusterId cluster) {
        List<NodeSpec> specs = new ArrayList<>();
        inventory
                .clusters()
                .get(cluster.value())
                .nodes()
                .forEach((name, n) -> specs.add(
                        new NodeSpec(NodeName.of(name), n.host(), n.port(), n.nofailover(), n.priority(), n.nosync())));
        specs.sort(Comparator.comparing(s -> s.name().value()));
        return specs;
    }
}
