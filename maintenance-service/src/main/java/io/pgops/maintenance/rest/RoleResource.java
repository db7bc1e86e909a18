package io.pgops.maintenance.rest;

import io.pgops.events.model.ClusterId;
import io.pgops.kit.rest.Problems;
import io.pgops.kit.security.Callers;
import io.pgops.kit.security.Roles;
import io.pgops.maintenance.service.RoleProvisioning;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Least-privilege roles on command (issue 20): an administrator's command, since it creates login roles and
 * changes grants. The answer names each role, what it may do and where its new password was handed over (a file
 * on the service's host), never the password.
 */
@Path("/clusters/{id}/roles")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class RoleResource {
    private final RoleProvisioning provisioning;
    private final SecurityIdentity identity;

    public RoleResource(RoleProvisioning provisioning, SecurityIdentity identity) {
        this.provisioning = provisioning;
        this.identity = identity;
    }

    /**
     * @param database the database the roles' grants are in (checked against {@code pg_database})
     * @param prefix the roles' prefix: {@code <prefix>_app}, {@code _readonly}, {@code _backup}, {@code _replica},
     *     {@code _monitor}
     * @param rotatePasswords also give existing roles a new password (default false: theirs are kept)
     * @param reason why, in words
     */
    public record ProvisionBody(
            @NotBlank @Size(max = 63) String database,

            @NotNull @Pattern(regexp = "^[a-z][a-z0-9_]{0,39}$")
            String prefix,

            Boolean rotatePasswords,
            @NotBlank @Size(max = 500) String reason) {}

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public RoleProvisioning.Result provision(
            @PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id, @NotNull @Valid ProvisionBody body) {
        return provisioning.provision(
                ClusterId.of(id),
                body.database(),
                body.prefix(),
                Boolean.TRUE.equals(body.rotatePasswords()),
                body.reason(),
                Callers.requester(identity));
    }

    @ServerExceptionMapper
    public Response refused(RoleProvisioning.Refused e) {
        return Problems.response(e.status, e.status == 409 ? "Role conflict" : "Unknown database", e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalid(IllegalArgumentException e) {
        return Problems.response(422, "Invalid roles", e.getMessage());
    }
}
