package io.pgops.audit.rest;

import io.pgops.audit.domain.Verification;
import io.pgops.audit.service.AppendOnlyGuards;
import io.pgops.audit.service.AuditSchema;
import io.pgops.audit.service.ChainAudit;
import io.smallrye.common.annotation.Blocking;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;

/** Proof that the trail is unaltered: walks the hash chain and names the first broken link. */
@Path("/audit/verify")
@Produces(MediaType.APPLICATION_JSON)
public class VerifyResource {
    private final ChainAudit chain;
    private final AuditSchema schema;

    public VerifyResource(ChainAudit chain, AuditSchema schema) {
        this.chain = chain;
        this.schema = schema;
    }

    /** Verifies rows {@code from..to} (default: the whole chain). */
    @GET
    @Blocking
    public VerifyReport verify(
            @QueryParam("from") @DefaultValue("1") @Min(1) long from, @QueryParam("to") @Min(1) Long to) {
        AppendOnlyGuards guards = schema.guards().await().atMost(Duration.ofSeconds(10));
        // the head first: rows appended while walking are then beyond it, not a surprise
        var head = chain.head().orElse(null);
        Verification v = chain.verify(from, to == null && head != null ? head.seq() : to);
        return VerifyReport.of(v, head, guards);
    }
}
