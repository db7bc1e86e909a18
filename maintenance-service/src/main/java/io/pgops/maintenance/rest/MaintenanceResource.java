package io.pgops.maintenance.rest;

import io.pgops.events.model.ClusterId;
import io.pgops.kit.rest.Problems;
import io.pgops.kit.security.Callers;
import io.pgops.kit.security.Roles;
import io.pgops.maintenance.service.MaintenanceRunner;
import io.pgops.maintenance.service.Run;
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
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;

/**
 * Maintenance runs on command. A request is checked first (unknown cluster 404; an unknown task, a target not
 * in the catalogue or an index that is not an invalid leftover 422; a malformed body 400; a run of the cluster
 * still going 409; problem+json, nothing published, nothing run); then {@code MaintenanceDue} is published per
 * task and the run starts: the answer (202) is the plan with the run id and correlation id its events carry.
 */
@Path("/clusters/{id}/maintenance")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class MaintenanceResource {
    private final MaintenanceRunner runner;
    private final SecurityIdentity identity;

    public MaintenanceResource(MaintenanceRunner runner, SecurityIdentity identity) {
        this.runner = runner;
        this.identity = identity;
    }

    /**
     * @param task {@code vacuum}, {@code analyze}, {@code reindex} or {@code drop-invalid-index}
     * @param target the table or index: {@code schema.name}, or {@code name} in schema public; it must exist
     */
    public record TaskBody(
            @NotBlank @Size(max = 40) String task,
            @NotBlank @Size(max = 300) String target) {}

    /**
     * @param reason why, in words (it travels in the events)
     * @param tasks what to run; absent or empty: what the vacuum and index reports advise
     * @param windowMinutes how long tasks may be started; default {@code pgops.maintenance.default-window}
     */
    public record RunBody(
            @NotBlank @Size(max = 500) String reason,
            @Size(max = 100) List<@NotNull @Valid TaskBody> tasks,
            @Min(1) @Max(1440) Integer windowMinutes) {}

    @POST
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(
            @PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id, @NotNull @Valid RunBody body) {
        List<MaintenanceRunner.RequestedTask> tasks = body.tasks() == null
                ? List.of()
                : body.tasks().stream()
                        .map(t -> new MaintenanceRunner.RequestedTask(t.task(), t.target()))
                        .toList();
        Run.View run = runner.request(
                ClusterId.of(id),
                body.reason(),
                tasks,
                body.windowMinutes() == null ? null : Duration.ofMinutes(body.windowMinutes()),
                Callers.requester(identity));
        return Response.accepted(run).build();
    }

    /** The cluster's recent runs, newest first. */
    @GET
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public List<Run.View> list(@PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id) {
        return runner.runs(ClusterId.of(id));
    }

    /** One run: each task's state and, once done, its before/after figures. */
    @GET
    @Path("/{runId}")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Response get(
            @PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id,
            @PathParam("runId") @Pattern(regexp = "[0-9a-f-]{36}") String runId) {
        return runner.run(ClusterId.of(id), runId)
                .map(r -> Response.ok(r).build())
                .orElseGet(() -> Problems.response(404, "Unknown run", "no run " + runId + " of cluster '" + id + "'"));
    }
}
