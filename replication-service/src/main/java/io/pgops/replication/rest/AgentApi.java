package io.pgops.replication.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.kit.rest.JsonProblems;
import io.pgops.replication.domain.AgentCredential;
import io.pgops.replication.domain.AgentReport;
import io.pgops.replication.domain.RejoinOutcome;
import io.pgops.replication.service.AgentNode;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;

/**
 * The agent's interface to the coordinator, one Java type on both sides: {@link AgentResource} serves it
 * beside each node, and the coordinator's {@code AgentClient} calls it as a Quarkus REST client.
 *
 * <p>Besides the typed answers declared here (200), every operation may answer: 202 {@link Running} when
 * its operation id is already running (ask again for the outcome); 409 problem+json when the agent refused
 * the term or the command expired; 400 problem+json for a body it cannot read (read strictly: an unknown
 * field is refused); 404 on an instance that sits beside no node; 503 while the agent starts; 500 when the
 * step failed. The answers are read tolerantly by the coordinator (an agent of another version may add a
 * field). The HAProxy routing checks ({@code /primary}, {@code /replica}…) are not part of it.
 *
 * <p>Every call but the failsafe's lease question carries the coordinator's credential in the {@value
 * AgentCredential#HEADER} header ({@link AgentCredential}): without one that fits the node, the operation and the
 * command, the agent answers 401 problem+json, does nothing, and reports the refusal ({@code AgentCommandRefused}).
 */
@Path("/agent")
@Produces(MediaType.APPLICATION_JSON)
public interface AgentApi {
    String OPERATION_ID = "^[A-Za-z0-9-]{8,64}$";

    /**
     * An operation's parameters.
     *
     * @param term the coordinator's term
     * @param operationId the operation's id: asked again, the agent answers its state or outcome, and never
     *     runs it twice
     * @param deadline the latest time the operation may start (the coordinator's clock; default 5 s after
     *     sending): a command that waited in a socket of a paused agent, or behind another, is dropped
     * @param primary the primary to follow, rejoin or rebuild from
     * @param waitPast promote only once replay has passed this LSN
     * @param synchronousStandbyNames the setting to apply (promote, configure); null leaves it
     * @param slots replication slots to create (configure)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Command(
            @NotNull @PositiveOrZero Long term,
            @NotNull @Pattern(regexp = OPERATION_ID) String operationId,
            @NotNull Instant deadline,
            @Pattern(regexp = NodeName.PATTERN) String primary,
            @Pattern(regexp = Lsn.PATTERN) String waitPast,
            String synchronousStandbyNames,
            List<@Pattern(regexp = "^[a-z0-9_]{1,63}$") String> slots) {
        /** The fields the coordinator's credential is bound to ({@link AgentCredential#digest}). */
        public AgentCredential.Command signed() {
            return new AgentCredential.Command(
                    term == null ? -1 : term, operationId, deadline, primary, waitPast, synchronousStandbyNames, slots);
        }
    }

    /** 202: the operation of this id is still running. */
    record Running(String operationId, String state) {
        public static final String RUNNING = "running";
    }

    /**
     * How the agent stopped the node.
     *
     * @param mode "fast" or "immediate"
     * @param clusterState {@code pg_controldata}'s "Database cluster state" after the stop
     * @param checkpointLsn the shutdown checkpoint; absent when the node did not shut down cleanly
     */
    record Fenced(
            String mode,
            String clusterState,
            @JsonInclude(JsonInclude.Include.NON_NULL) Lsn checkpointLsn) {}

    /** @param following the primary this standby now streams from */
    record Following(String following) {}

    /** @param started true */
    record Started(boolean started) {}

    /** @param configured true */
    record Configured(boolean configured) {}

    /**
     * The failsafe's question from a primary that cannot renew its lease through the coordinator.
     *
     * @param term the term the primary holds its lease under
     * @param primary the primary that asks
     */
    record LeaseQuestion(
            @NotNull @PositiveOrZero Long term,
            @NotNull @Pattern(regexp = NodeName.PATTERN) String primary) {}

    /**
     * The answer: {@code confirmed} when the topology this agent has read names the primary (it then refuses
     * promotion and following another primary for a lease's ttl).
     *
     * @param term the term of the newest topology this agent has read
     */
    record LeaseAnswer(boolean confirmed, long term, String reason) {}

    /** The report of this agent's node (404 problem+json on an instance that is no agent). */
    @GET
    @Path("status")
    Uni<AgentReport> status(@HeaderParam(AgentCredential.HEADER) String credential);

    /** Stops the node for good: {@code stop -m fast}, else {@code -m immediate}. */
    @POST
    @Path("fence")
    @Consumes(MediaType.APPLICATION_JSON)
    Fenced fence(
            @HeaderParam(AgentCredential.HEADER) String credential,
            @Valid @NotNull(message = JsonProblems.BODY_REQUIRED) Command c);

    /** Promotes the standby, once replay has passed {@code waitPast} when given. */
    @POST
    @Path("promote")
    @Consumes(MediaType.APPLICATION_JSON)
    AgentNode.Promotion promote(
            @HeaderParam(AgentCredential.HEADER) String credential,
            @Valid @NotNull(message = JsonProblems.BODY_REQUIRED) Command c);

    /** Re-points this running standby at {@code primary}. */
    @POST
    @Path("follow")
    @Consumes(MediaType.APPLICATION_JSON)
    Following follow(
            @HeaderParam(AgentCredential.HEADER) String credential,
            @Valid @NotNull(message = JsonProblems.BODY_REQUIRED) Command c);

    /** Makes this former primary a standby of {@code primary}: rewound, else rebuilt. */
    @POST
    @Path("rejoin")
    @Consumes(MediaType.APPLICATION_JSON)
    RejoinOutcome rejoin(
            @HeaderParam(AgentCredential.HEADER) String credential,
            @Valid @NotNull(message = JsonProblems.BODY_REQUIRED) Command c);

    /** Rebuilds this node from {@code primary} (pg_basebackup). */
    @POST
    @Path("reinit")
    @Consumes(MediaType.APPLICATION_JSON)
    RejoinOutcome reinit(
            @HeaderParam(AgentCredential.HEADER) String credential,
            @Valid @NotNull(message = JsonProblems.BODY_REQUIRED) Command c);

    /** Starts the node as it is. */
    @POST
    @Path("start")
    @Consumes(MediaType.APPLICATION_JSON)
    Started start(
            @HeaderParam(AgentCredential.HEADER) String credential,
            @Valid @NotNull(message = JsonProblems.BODY_REQUIRED) Command c);

    /**
     * The failsafe: confirms (or not) that the topology this agent has read names the asking primary, which shows
     * the lease credential the coordinators signed with its last grant; without a valid one, 401.
     */
    @POST
    @Path("lease-confirmation")
    @Consumes(MediaType.APPLICATION_JSON)
    LeaseAnswer confirmLease(
            @HeaderParam(AgentCredential.HEADER) String credential,
            @Valid @NotNull(message = JsonProblems.BODY_REQUIRED) LeaseQuestion q);

    /** On the primary: synchronous standbys ({@code synchronousStandbyNames}, null: unchanged) and {@code slots}. */
    @POST
    @Path("configure")
    @Consumes(MediaType.APPLICATION_JSON)
    Configured configure(
            @HeaderParam(AgentCredential.HEADER) String credential,
            @Valid @NotNull(message = JsonProblems.BODY_REQUIRED) Command c);
}
