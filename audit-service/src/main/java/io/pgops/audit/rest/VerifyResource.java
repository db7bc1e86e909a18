package io.pgops.audit.rest;

import io.pgops.audit.domain.ChainLink;
import io.pgops.audit.domain.Checkpoints;
import io.pgops.audit.domain.Verification;
import io.pgops.audit.messaging.CheckpointPublisher;
import io.pgops.audit.service.AppendOnlyGuards;
import io.pgops.audit.service.AuditSchema;
import io.pgops.audit.service.ChainAudit;
import io.pgops.kit.security.Roles;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;

/**
 * Proof that the trail is unaltered: walks the hash chain and names the first broken link, and checks
 * the last signed checkpoint this process published against the stored row it vouches for.
 */
@Path("/audit/verify")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
public class VerifyResource {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ChainAudit chain;
    private final AuditSchema schema;
    private final CheckpointPublisher checkpoints;

    public VerifyResource(ChainAudit chain, AuditSchema schema, CheckpointPublisher checkpoints) {
        this.chain = chain;
        this.schema = schema;
        this.checkpoints = checkpoints;
    }

    /** Verifies rows {@code from..to} (default: the whole chain). */
    @GET
    @Blocking
    public VerifyReport verify(
            @QueryParam("from") @DefaultValue("1") @Min(1) long from, @QueryParam("to") @Min(1) Long to) {
        AppendOnlyGuards guards = schema.guards().await().atMost(TIMEOUT);
        // the head first: rows appended while walking are then beyond it, not a surprise
        ChainLink head = chain.head().await().atMost(TIMEOUT).orElse(null);
        Verification v = chain.verify(from, to == null && head != null ? head.seq() : to);
        VerifyReport.Checkpoint checkpoint = checkpoints
                .last()
                .map(c -> VerifyReport.Checkpoint.of(
                        c,
                        Checkpoints.contradiction(
                                c, chain.linkAt(c.seq()).await().atMost(TIMEOUT).orElse(null))))
                .orElse(null);
        return VerifyReport.of(v, head, guards, checkpoint);
    }
}
