package io.pgops.maintenance.rest;

import io.pgops.events.model.ClusterId;
import io.pgops.kit.rest.Problems;
import io.pgops.kit.security.Callers;
import io.pgops.kit.security.Roles;
import io.pgops.maintenance.service.Migration;
import io.pgops.maintenance.service.Migrations;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.List;

/**
 * Safe schema migrations. A request is checked first (unknown cluster 404; a malformed body or a bad version
 * 400; a script pgops does not run, or a database the cluster does not have, 422; a version applied already or
 * under way 409; a script over the size cap 413; problem+json, nothing published); then {@code
 * MigrationRequested} is published and the answer is 202 with the migration, its correlation id and a
 * {@code Location} to follow its state. Asking needs {@code pgops-operator} or {@code pgops-admin}.
 */
@Path("/clusters/{id}/migrations")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class MigrationResource {
    /** Ordered numbers separated by dots, e.g. {@code 2026.12.06.1} (at most 32 characters). */
    public static final String VERSION = "^(?=.{1,32}$)[0-9]+(\\.[0-9]+)*$";
    /** A database name as PostgreSQL holds it (at most 63 bytes; checked against pg_database too). */
    public static final String DATABASE = "^[^\\x00]{1,63}$";

    private final Migrations migrations;
    private final SecurityIdentity identity;

    public MigrationResource(Migrations migrations, SecurityIdentity identity) {
        this.migrations = migrations;
        this.identity = identity;
    }

    /**
     * @param sql the script: statements separated by semicolons, all run in one transaction; or one statement
     *     that cannot run in a transaction ({@code CREATE INDEX CONCURRENTLY name …}) alone
     * @param reason why, in words (it travels in {@code MigrationRequested})
     * @param version the migration's version, e.g. {@code 2026.12.06.1}; applied at most once per database
     * @param description what it does; default {@code migration <version>}
     * @param database the database to migrate; default the inventory's {@code database}
     */
    public record MigrationBody(
            @NotBlank String sql,
            @NotBlank @Size(max = 500) String reason,

            @NotBlank @Pattern(regexp = VERSION, message = "must be numbers separated by dots, e.g. 2026.12.06.1")
            String version,

            @Size(min = 1, max = 200) String description,
            @Pattern(regexp = DATABASE) String database) {}

    @POST
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    public Response request(
            @PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id,
            @NotNull @Valid MigrationBody body,
            @jakarta.ws.rs.core.Context UriInfo uri) {
        Migration.View m = migrations.request(
                ClusterId.of(id),
                new Migrations.Request(body.sql(), body.reason(), body.version(), body.description(), body.database()),
                Callers.requester(identity));
        URI location = uri.getAbsolutePathBuilder().path(m.migrationId()).build();
        return Response.accepted(m).location(location).build();
    }

    /** The cluster's migrations this instance knows (since its start), newest first. */
    @GET
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public List<Migration.View> list(@PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id) {
        return migrations.list(ClusterId.of(id));
    }

    /** One migration: its state and, once over, its outcome. */
    @GET
    @Path("/{migrationId}")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Response get(
            @PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id,
            @PathParam("migrationId") @Pattern(regexp = "[0-9a-f-]{36}") String migrationId) {
        return migrations
                .get(ClusterId.of(id), migrationId)
                .map(m -> Response.ok(m).build())
                .orElseGet(() -> Problems.response(
                        404, "Unknown migration", "no migration " + migrationId + " of cluster '" + id + "'"));
    }
}
