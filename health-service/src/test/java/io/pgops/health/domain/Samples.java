package io.pgops.health.domain;

import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Role;
import io.pgops.events.model.Timeline;
import io.pgops.health.domain.sample.Capacity;
import io.pgops.health.domain.sample.NodeSample;
import io.pgops.health.domain.sample.Replication;
import io.pgops.health.domain.sample.Sessions;
import io.pgops.health.domain.sample.StandbyStatus;
import java.time.Instant;
import java.util.List;

/** Probe samples for tests: a primary and standbys with sane values to vary one at a time. */
final class Samples {
    static final NodeName N1 = NodeName.of("node1");
    static final NodeName N2 = NodeName.of("node2");
    static final NodeName N3 = NodeName.of("node3");

    private Samples() {}

    static NodeSample primary(NodeName n, Instant at, Lsn current, List<Replication.Replica> replicas) {
        return NodeSample.up(n, at, Role.PRIMARY, new Timeline(1), current, 170000)
                .withReplication(new Replication(current, replicas, List.of(), false))
                .withCapacity(new Capacity(5, 100, 3, 1000, 10))
                .withSessions(new Sessions(0, List.of(), List.of(), List.of()));
    }

    static Replication.Replica streaming(NodeName n, Lsn replay) {
        return new Replication.Replica(n.value(), "streaming", "async", replay, replay, replay);
    }

    static NodeSample standby(NodeName n, Instant at, Lsn replay, long delayMillis) {
        return NodeSample.up(n, at, Role.STANDBY, new Timeline(1), replay, 170000)
                .withStandby(new StandbyStatus(replay, replay, delayMillis, false));
    }

    static NodeSample down(NodeName n, Instant at) {
        return NodeSample.down(n, "Connection refused", at);
    }
}
