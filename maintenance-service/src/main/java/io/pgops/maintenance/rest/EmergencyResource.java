package io.pgops.maintenance.rest;

import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.kit.rest.Problems;
import io.pgops.kit.security.Callers;
import io.pgops.kit.security.Roles;
import io.pgops.maintenance.domain.EmergencyAction;
import io.pgops.maintenance.domain.EmergencyCriteria;
import io.pgops.maintenance.service.EmergencyActions;
import io.pgops.maintenance.service.EmergencyResult;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Guarded emergency actions (issue 19), dry run first: {@code POST /clusters/{id}/emergency/{action}} lists the
 * sessions the action would hit and returns a confirmation token (any pgops role); the same request with
 * {@code dryRun: false} and that token hits them (administrators only).
 */
@Path("/clusters/{id}/emergency/{action}")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class EmergencyResource {
    static final String ACTIONS =
            "terminate-idle|terminate-idle-in-transaction|cancel-long-queries|terminate-long-queries";
    static final String NAME = "^[^\\x00]{1,63}$";

    private final EmergencyActions actions;
    private final SecurityIdentity identity;

    public EmergencyResource(EmergencyActions actions, SecurityIdentity identity) {
        this.actions = actions;
        this.identity = identity;
    }

    /**
     * @param longerThanSeconds idle, idle in transaction or running longer than this, seconds (1 s to 30 days)
     * @param database only sessions of this database
     * @param user only sessions of this role
     * @param application only sessions of this {@code application_name}
     * @param superusers superuser roles to hit too (spared otherwise)
     * @param node the node whose sessions (default: the primary)
     * @param dryRun true (the default): only list them
     * @param token a real run: the dry run's confirmation token
     * @param pids a real run: only these of the dry run's sessions
     * @param reason why, in words
     */
    public record Body(
            @NotNull @Min(1) @Max(2_592_000) Long longerThanSeconds,
            @Pattern(regexp = NAME) String database,
            @Pattern(regexp = NAME) String user,
            @Size(max = 63) String application,
            @Size(max = 20) List<@NotBlank @Pattern(regexp = NAME) String> superusers,
            @Pattern(regexp = NodeName.PATTERN) String node,
            Boolean dryRun,

            @Size(max = 65_536) @Pattern(regexp = "^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$")
            String token,

            @Size(max = 1000) List<@NotNull @Min(1) Integer> pids,
            @NotBlank @Size(max = 500) String reason) {}

    @POST
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    public EmergencyResult act(
            @PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id,
            @PathParam("action") @Pattern(regexp = ACTIONS) String action,
            @NotNull @Valid Body body) {
        EmergencyCriteria c = new EmergencyCriteria(
                EmergencyAction.ofCode(action).orElseThrow(),
                Duration.ofSeconds(body.longerThanSeconds()),
                body.database(),
                body.user(),
                body.application(),
                body.superusers() == null ? Set.of() : Set.copyOf(body.superusers()));
        if (body.dryRun() == null || body.dryRun()) {
            return actions.dryRun(ClusterId.of(id), body.node(), c);
        }
        Callers.require(identity, Roles.ADMIN, "an emergency action that is not a dry run");
        if (body.token() == null) {
            throw new BadRequestException("a real run names its dry run's confirmation token (token): do the dry"
                    + " run first, then send the same request with dryRun false and the token");
        }
        return actions.confirm(
                ClusterId.of(id),
                body.node(),
                c,
                body.token(),
                body.pids(),
                body.reason(),
                Callers.requester(identity));
    }

    @ServerExceptionMapper
    public Response notConfirmed(EmergencyActions.NotConfirmed e) {
        return Problems.response(409, "Not confirmed", e.getMessage());
    }

    @ServerExceptionMapper
    public Response notRecorded(EmergencyActions.NotRecorded e) {
        return Problems.response(503, "Not on the record", e.getMessage());
    }

    @ServerExceptionMapper
    public Response unknown(EmergencyActions.Unknown e) {
        return Problems.response(422, "Unknown name", e.getMessage());
    }
}
