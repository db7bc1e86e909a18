package io.pgops.backup.rest;

import io.pgops.backup.service.WalArchiving;
import io.pgops.events.model.ClusterId;
import io.pgops.kit.rest.Problems;
import io.pgops.kit.security.Roles;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * A cluster's WAL archive: what it covers per timeline from the oldest usable backup on, its gaps, and what its
 * pg_receivewal is doing (which node it streams from, how often it was started, how it last ended). Unknown
 * cluster 404 (problem+json).
 */
@Path("/clusters/{id}/wal")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
public class WalResource {
    private final WalArchiving archiving;

    public WalResource(WalArchiving archiving) {
        this.archiving = archiving;
    }

    @GET
    public Response archive(@PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id) {
        return archiving
                .describe(ClusterId.of(id))
                .map(m -> Response.ok(m).build())
                .orElseGet(
                        () -> Problems.response(404, "Unknown cluster", "cluster " + id + " is not in the inventory"));
    }
}
