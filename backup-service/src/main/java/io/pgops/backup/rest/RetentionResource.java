package io.pgops.backup.rest;

import io.pgops.backup.domain.RepositoryLayout;
import io.pgops.backup.service.BackupRunner;
import io.pgops.backup.service.RetentionRunner;
import io.pgops.events.EventIds;
import io.pgops.events.model.ClusterId;
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
 * Retention on command: applies the cluster's policy to its backups in the configured repository now (as after
 * every successful backup) and answers with every backup's verdict; {@code BackupExpired} for each one deleted,
 * under one correlation id, with the caller as requester. {@code dryRun} only says what would go.
 */
@Path("/clusters/{id}/backups/retention")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class RetentionResource {
    private final BackupRunner runner;
    private final RetentionRunner retention;
    private final SecurityIdentity identity;

    public RetentionResource(BackupRunner runner, RetentionRunner retention, SecurityIdentity identity) {
        this.runner = runner;
        this.retention = retention;
        this.identity = identity;
    }

    /**
     * @param reason why, in words (the log and the audit trail keep it with the principal)
     * @param dryRun only say what would be deleted (default false)
     */
    public record RetentionBody(@NotBlank @Size(max = 500) String reason, Boolean dryRun) {}

    /**
     * The run's outcome and the correlation id of its {@code BackupExpired} events.
     *
     * @param correlationId the correlation id of the events
     * @param outcome what retention decided and did
     */
    public record Answer(String correlationId, RetentionRunner.Outcome outcome) {}

    @POST
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    public Response apply(
            @PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id, @NotNull @Valid RetentionBody body) {
        ClusterId cluster = ClusterId.of(id);
        try {
            runner.list(cluster, Optional.empty());
        } catch (BackupRunner.UnknownCluster e) {
            return Problems.response(404, "Unknown cluster", e.getMessage());
        }
        String correlation = EventIds.newId();
        RetentionRunner.Outcome o = retention.apply(
                cluster,
                RepositoryLayout.within(runner.repositoryRoot(), null),
                Boolean.TRUE.equals(body.dryRun()),
                correlation,
                Callers.requester(identity));
        return Response.ok(new Answer(correlation, o)).build();
    }
}
