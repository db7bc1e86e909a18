package io.pgops.replication.rest;

import io.pgops.events.model.ClusterId;
import io.pgops.kit.security.Roles;
import io.pgops.replication.service.Coordinator;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;

/** Which clusters this instance decides for now (the partitions it owns in the coordinators' group). */
@Path("/coordinator")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
public class CoordinatorResource {
    private final Coordinator coordinator;

    public CoordinatorResource(Coordinator coordinator) {
        this.coordinator = coordinator;
    }

    @GET
    public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("instance", coordinator.instance());
        m.put("enabled", coordinator.enabled());
        m.put("assignedPartitions", coordinator.assignedPartitions());
        m.put(
                "clusters",
                coordinator.ownedClusters().stream()
                        .map(ClusterId::value)
                        .sorted()
                        .toList());
        return m;
    }
}
