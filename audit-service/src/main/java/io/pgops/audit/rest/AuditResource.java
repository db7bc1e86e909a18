package io.pgops.audit.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgops.audit.service.AuditQueries;
import io.pgops.audit.service.AuditRecord;
import io.pgops.kit.rest.Problems;
import io.pgops.kit.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** Search the audit trail: filtered, newest first, cursor-paginated, as JSON or CSV. */
@Path("/audit/events")
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
public class AuditResource {
    private final AuditQueries queries;
    private final ObjectMapper json;

    public AuditResource(AuditQueries queries, ObjectMapper json) {
        this.queries = queries;
        this.json = json;
    }

    /** A page of events as JSON: {@code items} and the {@code next} cursor (also in the Link header). */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> list(@Valid @BeanParam EventQuery query, @Context UriInfo uri) {
        return page(query, uri, (items, next) -> new EventPage(items, next));
    }

    /** The same page as CSV; the next page is in the Link header. JSON stays the default (qs). */
    @GET
    @Produces(Csv.MEDIA_TYPE + ";qs=0.5")
    public Uni<Response> csv(@Valid @BeanParam EventQuery query, @Context UriInfo uri) {
        return page(query, uri, (items, next) -> Csv.of(items, json));
    }

    private Uni<Response> page(EventQuery query, UriInfo uri, Body body) {
        if (query.from != null
                && query.to != null
                && !query.filter().from().isBefore(query.filter().to())) {
            return Uni.createFrom().item(badRange());
        }
        // one more than asked: tells whether there is a next page
        return queries.find(query.filter(), query.before(), query.limit + 1).map(found -> {
            List<AuditRecord> items = found.size() > query.limit ? found.subList(0, query.limit) : found;
            String next =
                    found.size() > query.limit ? Cursor.after(items.getLast().seq()) : null;
            Response.ResponseBuilder r = Response.ok(body.of(items, next));
            if (next != null) {
                URI link = uri.getRequestUriBuilder()
                        .replaceQueryParam("cursor", next)
                        .build();
                r.link(link, "next");
            }
            return r.build();
        });
    }

    private static Response badRange() {
        return Response.status(400)
                .type(Problems.PROBLEM_JSON)
                .entity(new Problems.Problem(
                        URI.create("about:blank"),
                        "Invalid request",
                        400,
                        "1 field(s) are invalid",
                        List.of(Map.of("field", "from", "message", "must be before to"))))
                .build();
    }

    @FunctionalInterface
    private interface Body {
        Object of(List<AuditRecord> items, String next);
    }
}
