package io.pgops.replication.rest;

import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Term;
import io.pgops.kit.rest.JsonProblems;
import io.pgops.kit.rest.Problems;
import io.pgops.replication.service.AgentNode;
import io.pgops.replication.service.LocalNode;
import io.pgops.replication.service.NodeActions;
import io.pgops.replication.service.Operations;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The agent's interface to the coordinator: a report of its node, and the operations only it may carry
 * out on that node. Every operation names the coordinator's term and is refused (409) when the agent
 * has seen a newer one, or when no committed topology of that term appears in time.
 */
@Path("/agent")
@Produces(MediaType.APPLICATION_JSON)
public class AgentResource {
    static final String OPERATION_ID = "^[A-Za-z0-9-]{8,64}$";

    private final AgentNode agent;
    private final LocalNode node;
    private final Operations operations;

    public AgentResource(AgentNode agent, LocalNode node, Operations operations) {
        this.agent = agent;
        this.node = node;
        this.operations = operations;
    }

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
    public record Command(
            @NotNull @PositiveOrZero Long term,
            @NotNull @Pattern(regexp = OPERATION_ID) String operationId,
            @NotNull Instant deadline,
            @Pattern(regexp = NodeName.PATTERN) String primary,
            @Pattern(regexp = Lsn.PATTERN) String waitPast,
            String synchronousStandbyNames,
            List<@Pattern(regexp = "^[a-z0-9_]{1,63}$") String> slots) {}

    @GET
    @Path("status")
    public Uni<Response> status() {
        if (!agent.isAgent()) {
            return Uni.createFrom().item(notAgent());
        }
        return node.report(agent.highestTerm())
                .onItem()
                .transformToUni(r -> r.running()
                        ? Uni.createFrom().item(r)
                        : Uni.createFrom()
                                .item(() -> r.withPostmaster(agent.postmasterRunning()))
                                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                .map(r -> Response.ok(r).build());
    }

    @POST
    @Path("fence")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    public Response fence(@Valid @NotNull(message = JsonProblems.BODY_REQUIRED) Command c) {
        return act(c, "fence (stop -m fast, else immediate)", () -> {
            NodeActions.Stopped s = agent.fence();
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            out.put("mode", s.mode());
            out.put("clusterState", s.clusterState());
            if (s.clean()) {
                out.put("checkpointLsn", s.shutdownCheckpoint().format());
            }
            return out;
        });
    }

    @POST
    @Path("promote")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    public Response promote(@Valid @NotNull(message = JsonProblems.BODY_REQUIRED) Command c) {
        return act(
                c,
                "promote" + (c.waitPast() == null ? "" : " after replaying past " + c.waitPast()),
                () -> agent.promote(
                        c.waitPast() == null ? null : Lsn.parse(c.waitPast()), c.synchronousStandbyNames()));
    }

    @POST
    @Path("follow")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    public Response follow(@Valid @NotNull(message = JsonProblems.BODY_REQUIRED) Command c) {
        return act(c, "follow " + c.primary(), () -> {
            agent.follow(primary(c));
            return Map.of("following", c.primary());
        });
    }

    @POST
    @Path("rejoin")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    public Response rejoin(@Valid @NotNull(message = JsonProblems.BODY_REQUIRED) Command c) {
        return act(c, "rejoin as a standby of " + c.primary(), () -> agent.rejoin(primary(c)));
    }

    @POST
    @Path("reinit")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    public Response reinit(@Valid @NotNull(message = JsonProblems.BODY_REQUIRED) Command c) {
        return act(c, "rebuild from " + c.primary(), () -> agent.reinit(primary(c)));
    }

    @POST
    @Path("start")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    public Response start(@Valid @NotNull(message = JsonProblems.BODY_REQUIRED) Command c) {
        return act(c, "start", () -> {
            agent.start();
            return Map.of("started", true);
        });
    }

    @POST
    @Path("configure")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    public Response configure(@Valid @NotNull(message = JsonProblems.BODY_REQUIRED) Command c) {
        return act(c, "configure synchronous standbys and slots", () -> {
            agent.configure(c.synchronousStandbyNames(), c.slots() == null ? List.of() : c.slots());
            return Map.of("configured", true);
        });
    }

    private static NodeName primary(Command c) {
        if (c.primary() == null) {
            throw new IllegalArgumentException("primary is required");
        }
        return NodeName.of(c.primary());
    }

    private Response act(Command c, String what, Supplier<Object> action) {
        if (!agent.isAgent()) {
            return notAgent();
        }
        Optional<Operations.Known> known = operations.begin(c.operationId());
        if (known.isPresent()) {
            Operations.Known k = known.get();
            return k.running()
                    ? Response.accepted(Map.of("operationId", c.operationId(), "state", "running"))
                            .build()
                    : Response.status(k.status())
                            .entity(k.body())
                            .type(k.status() == 200 ? MediaType.APPLICATION_JSON : Problems.PROBLEM_JSON)
                            .build();
        }
        Response r = run(c, what, action);
        operations.end(c.operationId(), r.getStatus(), r.getEntity());
        return r;
    }

    private Response run(Command c, String what, Supplier<Object> action) {
        try {
            Object result = agent.underTerm(Term.of(c.term()), c.deadline(), what, action);
            return Response.ok(result).build();
        } catch (AgentNode.NotReady e) {
            return Problems.response(503, "Agent starting", e.getMessage());
        } catch (AgentNode.Expired e) {
            return Problems.response(409, "Command expired", e.getMessage());
        } catch (AgentNode.TermRefused e) {
            return Problems.response(409, "Term refused (" + e.verdict.name().toLowerCase() + ")", e.getMessage());
        } catch (IllegalArgumentException e) {
            return Problems.response(400, "Invalid command", e.getMessage());
        } catch (RuntimeException e) {
            return Problems.response(500, what + " failed", e.getMessage());
        }
    }

    private static Response notAgent() {
        return Problems.response(
                404,
                "Not an agent",
                "this replication-service instance sits beside no node (set pgops.agent.cluster and pgops.agent.node)");
    }
}
