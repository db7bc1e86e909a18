package io.pgops.backup.rest;

import io.pgops.backup.service.PreMigrationDumps;
import io.pgops.events.model.ClusterId;
import io.pgops.kit.inventory.Inventory;
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

/** The catalogue of logical dumps (today: the pre-migration schema-only dumps), oldest first. */
@Path("/clusters/{id}/dumps")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
public class DumpResource {
    private final PreMigrationDumps dumps;
    private final Inventory inventory;

    public DumpResource(PreMigrationDumps dumps, Inventory inventory) {
        this.dumps = dumps;
        this.inventory = inventory;
    }

    @GET
    public Response list(@PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id) {
        if (!inventory.clusters().containsKey(id)) {
            return Problems.response(404, "Unknown cluster", "cluster " + id + " is not in the inventory");
        }
        return Response.ok(dumps.list(ClusterId.of(id))).build();
    }
}
