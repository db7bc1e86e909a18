package io.pgops.audit.rest;

import io.pgops.audit.service.AuditQueries;
import io.pgops.audit.service.ClusterActivity;
import io.pgops.kit.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The clusters the recent trail talks about. */
@Path("/audit/clusters")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
public class ClusterResource {
    /** How many of the latest events are looked at (bounded: this is a dashboard, not a census). */
    static final int RECENT_WINDOW = 10_000;

    private final AuditQueries queries;

    public ClusterResource(AuditQueries queries) {
        this.queries = queries;
    }

    /** Clusters of the latest events, most recently active first. */
    @GET
    public Uni<List<ClusterActivity>> recent() {
        return queries.recentClusters(RECENT_WINDOW);
    }
}
