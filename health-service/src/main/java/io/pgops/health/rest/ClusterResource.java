package io.pgops.health.rest;

import io.pgops.events.model.ClusterId;
import io.pgops.health.domain.ClusterView;
import io.pgops.health.service.Clusters;
import io.pgops.kit.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;

/**
 * What the health-service knows: the watched clusters, the latest result of every check per node,
 * and a one-shot report whose HTTP status says healthy (200) or unhealthy (503), for a cron job.
 * Errors are problem+json (service-kit's mappers).
 */
@Path("/clusters")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
public class ClusterResource {
    private final Clusters clusters;

    public ClusterResource(Clusters clusters) {
        this.clusters = clusters;
    }

    /** Every cluster of the inventory with its primary and whether it is healthy now. */
    @GET
    public List<ClusterSummary> list() {
        Instant now = Instant.now();
        return clusters.all().stream()
                .map(w -> ClusterSummary.of(w.watch().view(now)))
                .toList();
    }

    /** The latest result per node and check, with the measured values, thresholds and evidence. */
    @GET
    @Path("/{id}/health")
    public ClusterView health(@PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id) {
        return view(id);
    }

    /**
     * One-shot verdict: 200 when every node answers and no check of at least {@code fail-on}
     * severity is breached, 503 otherwise; the body lists what is wrong.
     */
    @GET
    @Path("/{id}/report")
    public Response report(
            @PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id,
            @QueryParam("fail-on") @DefaultValue("critical") @Pattern(regexp = "critical|warning") String failOn) {
        Report r = Report.of(view(id), failOn);
        return Response.status(r.healthy() ? 200 : 503).entity(r).build();
    }

    private ClusterView view(String id) {
        return clusters.get(id)
                .map(w -> w.watch().view(Instant.now()))
                .orElseThrow(() -> new NotFoundException("cluster '" + id + "' is not in the inventory"));
    }
}
