package io.pgops.backup.rest;

import io.pgops.backup.domain.CatalogueEntry;
import io.pgops.backup.domain.SourceChoice;
import io.pgops.backup.service.BackupRunner;
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
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;

/**
 * Backups on demand and the catalogue. A request is checked first (unknown cluster 404, unknown node or a
 * repository outside the configured root 422, a malformed body 400; problem+json, nothing published), then
 * {@code BackupRequested} is published and the backup queued: the answer (202) names the backup id and the
 * correlation id its events carry.
 */
@Path("/clusters/{id}/backups")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class BackupResource {
    private final BackupRunner runner;
    private final SecurityIdentity identity;

    public BackupResource(BackupRunner runner, SecurityIdentity identity) {
        this.runner = runner;
        this.identity = identity;
    }

    /**
     * @param reason why, in words (it travels in {@code BackupRequested})
     * @param node the node to back up; default: a standby by the inventory's role hint, else the primary
     * @param fastCheckpoint start with an immediate checkpoint instead of a spread one (default false)
     * @param repository a repository directory relative to (and inside) the configured root; default the root
     */
    public record BackupBody(
            @NotBlank @Size(max = 500) String reason,
            @Pattern(regexp = NodeName.PATTERN) String node,
            Boolean fastCheckpoint,
            @Size(max = 500) String repository) {}

    @POST
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    public Response take(
            @PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id, @NotNull @Valid BackupBody body) {
        try {
            BackupRunner.Accepted a = runner.request(
                    ClusterId.of(id),
                    Optional.ofNullable(body.node()).map(NodeName::of),
                    body.reason(),
                    Boolean.TRUE.equals(body.fastCheckpoint()),
                    Optional.ofNullable(body.repository()),
                    Callers.requester(identity));
            return Response.accepted(a).build();
        } catch (BackupRunner.UnknownCluster e) {
            return Problems.response(404, "Unknown cluster", e.getMessage());
        } catch (SourceChoice.UnknownNode e) {
            return Problems.response(422, "Unknown node", e.getMessage());
        } catch (IllegalArgumentException e) {
            return Problems.response(422, "Repository refused", e.getMessage());
        }
    }

    /** The cluster's catalogue, oldest first. */
    @GET
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Response list(
            @PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id,
            @QueryParam("repository") @Size(max = 500) String repository) {
        try {
            List<CatalogueEntry> entries = runner.list(ClusterId.of(id), Optional.ofNullable(repository));
            return Response.ok(entries).build();
        } catch (BackupRunner.UnknownCluster e) {
            return Problems.response(404, "Unknown cluster", e.getMessage());
        } catch (IllegalArgumentException e) {
            return Problems.response(422, "Repository refused", e.getMessage());
        }
    }
}
