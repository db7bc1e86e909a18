package io.pgops.maintenance.rest;

import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.kit.rest.Problems;
import io.pgops.kit.security.Callers;
import io.pgops.kit.security.Roles;
import io.pgops.maintenance.domain.HostFacts;
import io.pgops.maintenance.service.ConfigReview;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The configuration advisor (issue 19): recommended settings for the hosts' declared facts against each node's
 * {@code pg_settings}; drift published on command; applied by an administrator.
 */
@Path("/clusters/{id}/config")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ConfigResource {
    static final String SIZE = "^[0-9]+(kB|KB|MB|GB|TB)?$";

    private final ConfigReview review;
    private final SecurityIdentity identity;

    public ConfigResource(ConfigReview review, SecurityIdentity identity) {
        this.review = review;
        this.identity = identity;
    }

    /** Host facts given with a request instead of the declared ones. */
    public record Facts(
            @NotNull @Pattern(regexp = SIZE) String ram,
            @NotNull @Min(1) @Max(1024) Integer cpus,
            @Pattern(regexp = "ssd|hdd|san") String storage,
            @Min(1) @Max(100000) Integer connections,
            @Pattern(regexp = "web|oltp|dw|mixed|desktop") String workload) {
        HostFacts toFacts() {
            return new HostFacts(
                    ConfigReview.parseSize(ram),
                    cpus,
                    HostFacts.Storage.parse(storage == null ? "ssd" : storage),
                    connections == null ? 100 : connections,
                    HostFacts.Workload.parse(workload == null ? "mixed" : workload),
                    "given with the request");
        }
    }

    /** The advice: each node's differences from what the facts recommend (any pgops role). */
    @GET
    @Path("/advice")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public ConfigReview.Advice advice(
            @PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id,
            @QueryParam("node") @Pattern(regexp = NodeName.PATTERN) String node,
            @QueryParam("ram") @Pattern(regexp = SIZE) String ram,
            @QueryParam("cpus") @Min(1) @Max(1024) Integer cpus,
            @QueryParam("storage") @Pattern(regexp = "ssd|hdd|san") String storage,
            @QueryParam("connections") @Min(1) @Max(100000) Integer connections,
            @QueryParam("workload") @Pattern(regexp = "web|oltp|dw|mixed|desktop") String workload) {
        ClusterId c = ClusterId.of(id);
        if ((ram == null) != (cpus == null)) {
            throw new IllegalArgumentException(
                    "ram and cpus go together: give both, or neither for the declared facts");
        }
        HostFacts given = ram == null ? null : new Facts(ram, cpus, storage, connections, workload).toFacts();
        return review.advise(c, review.facts(c, given), node);
    }

    /** @param facts host facts instead of the declared ones */
    public record CheckBody(
            @Valid Facts facts, @Size(max = 500) String reason) {}

    /** Publishes {@code ConfigDriftDetected} per node and difference (operator). */
    @POST
    @Path("/check")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    public ConfigReview.Advice check(
            @PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id, @NotNull @Valid CheckBody body) {
        ClusterId c = ClusterId.of(id);
        return review.check(
                c, review.facts(c, body.facts() == null ? null : body.facts().toFacts()), Callers.requester(identity));
    }

    /**
     * @param parameters the parameters to apply (each one the advisor recommends); empty or absent: every one that
     *     differs
     */
    public record ApplyBody(
            @Valid Facts facts,
            @Size(max = 40) List<@NotBlank @Pattern(regexp = "^[a-z_]{1,63}$") String> parameters,
            @NotBlank @Size(max = 500) String reason) {}

    /** {@code ALTER SYSTEM} + reload on every node (admin); says what waits for a restart. */
    @POST
    @Path("/apply")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public List<ConfigReview.Applied> apply(
            @PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id, @NotNull @Valid ApplyBody body) {
        ClusterId c = ClusterId.of(id);
        return review.apply(
                c,
                review.facts(c, body.facts() == null ? null : body.facts().toFacts()),
                body.parameters() == null ? Set.of() : Set.copyOf(body.parameters()),
                body.reason(),
                Callers.requester(identity));
    }

    @ServerExceptionMapper
    public Response noFacts(ConfigReview.NoFacts e) {
        return Problems.response(409, "No host facts", e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalid(IllegalArgumentException e) {
        return Problems.response(422, "Invalid request", e.getMessage());
    }
}
