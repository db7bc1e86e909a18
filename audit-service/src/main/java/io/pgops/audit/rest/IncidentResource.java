package io.pgops.audit.rest;

import io.pgops.audit.domain.Incident;
import io.pgops.audit.service.AuditQueries;
import io.pgops.kit.rest.Problems;
import io.pgops.kit.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** The story of one incident: every event of one flow, in order, with the time between steps. */
@Path("/audit/incidents")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
public class IncidentResource {
    /** How many of a cluster's latest events the recent incidents are taken from. */
    static final int RECENT_WINDOW = 500;

    private static final int MAX_LIMIT = 100;

    private final AuditQueries queries;

    public IncidentResource(AuditQueries queries) {
        this.queries = queries;
    }

    /**
     * The latest flows of a cluster (among its latest 500 events), each told as an incident, newest first; with
     * {@code open=true} only those still waiting, with {@code open=false} only the closed ones.
     */
    @GET
    public Uni<List<Incident>> recent(
            @QueryParam("cluster") @NotNull @Pattern(regexp = EventQuery.NAME, message = "must be a cluster id")
                    String cluster,
            @QueryParam("limit") @DefaultValue("10") @Min(1) @Max(100) int limit,
            @QueryParam("open") Boolean open) {
        if (open == null) {
            return queries.recentIncidents(cluster, limit, RECENT_WINDOW);
        }
        return queries.recentIncidents(cluster, MAX_LIMIT, RECENT_WINDOW)
                .map(all ->
                        all.stream().filter(i -> i.open() == open).limit(limit).toList());
    }

    @GET
    @Path("/{correlationId}")
    public Uni<Response> incident(
            @PathParam("correlationId")
                    @Pattern(regexp = "[A-Za-z0-9._:-]{1,128}", message = "must be a correlation id (an event id)")
                    String correlationId) {
        return queries.incident(correlationId)
                .map(found -> found.<Response>map((Incident i) -> Response.ok(i).build())
                        .orElseGet(() -> Problems.response(
                                404, "Not Found", "no recorded event has correlation id " + correlationId)));
    }
}
