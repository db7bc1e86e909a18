package io.pgops.replication.domain;

import io.pgops.events.model.NodeName;

/** The physical replication slot each standby streams through, named after it. */
public final class Slots {
    private Slots() {}

    /** The node name where slot names allow only {@code [a-z0-9_]}: {@code rejoin-node2} → {@code rejoin_node2}. */
    public static String of(NodeName node) {
        return node.value().replaceAll("[^a-z0-9_]", "_");
    }
}
