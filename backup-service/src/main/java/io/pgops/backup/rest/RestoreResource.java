package io.pgops.backup.rest;

import io.pgops.backup.domain.RecoveryTarget;
import io.pgops.backup.service.BackupRunner;
import io.pgops.backup.service.RestoreRunner;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.kit.rest.Problems;
import io.pgops.kit.security.Callers;
import io.pgops.kit.security.Roles;
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
import java.util.Optional;

/**
 * Point-in-time restore on command (admins only): into a new directory on the service's host, inside the configured
 * restore root. Everything that can be checked is checked before anything is published or written: unknown cluster
 * 404, a directory outside the root or a target before the oldest backup 422, a running node's data directory or any
 * non-empty directory 409, a malformed body 400. Then {@code RestoreRequested} and 202; {@code RestoreCompleted} or
 * {@code RestoreFailed} follow under the answer's correlation id.
 */
@Path("/clusters/{id}/restores")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class RestoreResource {
    private final RestoreRunner restores;
    private final SecurityIdentity identity;

    public RestoreResource(RestoreRunner restores, SecurityIdentity identity) {
        this.restores = restores;
        this.identity = identity;
    }

    /**
     * @param reason why, in words
     * @param node a name for the restored copy (it travels as {@code targetNode} in the events)
     * @param directory the new data directory: absolute, inside the restore root, empty or absent
     * @param backupId the backup to start from; default the newest one that reaches the target
     * @param targetTime recover to this time (ISO-8601 with its zone, e.g. {@code 2026-12-06T17:04:05Z})
     * @param targetLsn recover to this WAL position ({@code 0/5000028}); with neither target: the archive's end
     */
    public record RestoreBody(
            @NotBlank @Size(max = 500) String reason,
            @NotNull @Pattern(regexp = NodeName.PATTERN) String node,
            @NotBlank @Size(max = 500) String directory,
            @Size(max = 100) String backupId,
            @Size(max = 64) String targetTime,
            @Size(max = 32) String targetLsn) {}

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response restore(
            @PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id, @NotNull @Valid RestoreBody body) {
        RecoveryTarget target;
        try {
            target = RecoveryTarget.of(body.targetTime(), body.targetLsn(), null, null);
        } catch (IllegalArgumentException e) {
            return Problems.response(422, "Target refused", e.getMessage());
        }
        try {
            RestoreRunner.Accepted a = restores.request(
                    ClusterId.of(id),
                    NodeName.of(body.node()),
                    java.nio.file.Path.of(body.directory()),
                    Optional.ofNullable(body.backupId()),
                    target,
                    body.reason(),
                    Callers.requester(identity));
            return Response.accepted(a).build();
        } catch (BackupRunner.UnknownCluster e) {
            return Problems.response(404, "Unknown cluster", e.getMessage());
        } catch (RestoreRunner.Refused e) {
            return Problems.response(
                    e.status, e.status == 409 ? "Directory refused" : "Restore refused", e.getMessage());
        } catch (java.nio.file.InvalidPathException e) {
            return Problems.response(422, "Directory refused", e.getMessage());
        }
    }
}
