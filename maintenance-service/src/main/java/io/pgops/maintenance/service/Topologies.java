package io.pgops.maintenance.service;

import io.pgops.events.model.ClusterId;
import io.pgops.events.replication.TopologyChanged;
import io.pgops.maintenance.domain.ChangeGuard;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The latest topology per cluster from {@code pgops.topology}; an older term replayed later is ignored. */
@ApplicationScoped
public class Topologies {
    private final Map<String, TopologyChanged> latest = new ConcurrentHashMap<>();

    public void record(TopologyChanged tc) {
        latest.merge(tc.cluster().value(), tc, (old, now) -> now.term().compareTo(old.term()) >= 0 ? now : old);
    }

    /** Why maintenance of the cluster must wait now, or empty. */
    public Optional<String> waitReason(ClusterId id) {
        return ChangeGuard.waitReason(latest.get(id.value()));
    }
}
