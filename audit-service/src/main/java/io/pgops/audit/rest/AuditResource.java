package io.pgops.audit.rest;

import io.pgops.audit.service.AuditRecord;
import io.pgops.audit.service.AuditStore;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Read the audit trail. */
@Path("/audit/events")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {
    private final AuditStore store;

    public AuditResource(AuditStore store) {
        this.store = store;
    }

    /** Recorded events, newest first. */
    @GET
    public Uni<List<AuditRecord>> list(
            @QueryParam("cluster") @Pattern(regexp = "[a-z0-9][a-z0-9_-]{0,62}", message = "must be a cluster id")
                    String cluster,
            @QueryParam("type")
                    @Pattern(regexp = "io\\.pgops\\.[a-z]+\\.[a-z-]+\\.v[0-9]+", message = "must be a pgops event type")
                    String type,
            @QueryParam("correlationId") String correlationId,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return store.find(cluster, type, correlationId, limit);
    }
}
