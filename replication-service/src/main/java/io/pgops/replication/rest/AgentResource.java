package io.pgops.replication.rest;

import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Term;
import io.pgops.kit.rest.Problems;
import io.pgops.replication.domain.AgentCredential;
import io.pgops.replication.domain.AgentReport;
import io.pgops.replication.domain.RejoinOutcome;
import io.pgops.replication.service.AgentCommandKeys;
import io.pgops.replication.service.AgentNode;
import io.pgops.replication.service.AgentRefusals;
import io.pgops.replication.service.LocalNode;
import io.pgops.replication.service.NodeActions;
import io.pgops.replication.service.Operations;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The agent's side of {@link AgentApi}: a report of its node, and the operations only it may carry out on
 * that node. Every operation names the coordinator's term and is refused (409) when the agent has seen a
 * newer one, or when no committed topology of that term appears in time. The path, media types and body
 * validation are declared on the interface. Each operation and the report first check the coordinator's
 * credential ({@link AgentCredential}): a caller that is not the cluster's coordinator is answered 401, and
 * nothing is done.
 */
public class AgentResource implements AgentApi {
    private static final String LEASE_CONFIRMATION = "lease-confirmation";
    private final AgentNode agent;
    private final LocalNode node;
    private final Operations operations;
    private final AgentCommandKeys keys;
    private final AgentRefusals refusals;
    private final CurrentVertxRequest request;

    public AgentResource(
            AgentNode agent,
            LocalNode node,
            Operations operations,
            AgentCommandKeys keys,
            AgentRefusals refusals,
            CurrentVertxRequest request) {
        this.agent = agent;
        this.node = node;
        this.operations = operations;
        this.keys = keys;
        this.refusals = refusals;
        this.request = request;
    }

    /**
     * Any answer but an operation's own result (200): not an agent, still running (202), refused or failed
     * (problem+json), or a remembered outcome; thrown by a typed method, answered as it is by
     * {@link #answer}.
     */
    static final class Answer extends RuntimeException {
        final transient Response response;

        Answer(Response response) {
            super("HTTP " + response.getStatus(), null, false, false);
            this.response = response;
        }
    }

    /** Only for this resource: its {@link Answer}s are complete responses, not errors to describe. */
    @ServerExceptionMapper
    Response answer(Answer a) {
        return a.response;
    }

    @Override
    public Uni<AgentReport> status(String credential) {
        if (!agent.isAgent()) {
            return Uni.createFrom().failure(new Answer(notAgent()));
        }
        try {
            authorize(credential, AgentCredential.STATUS, null);
        } catch (Answer a) {
            return Uni.createFrom().failure(a);
        }
        return node.report(agent.highestTerm())
                .onItem()
                .transformToUni(r -> r.running()
                        ? Uni.createFrom().item(r)
                        : Uni.createFrom()
                                .item(() -> r.withPostmaster(agent.postmasterRunning()))
                                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
    }

    @Override
    @Blocking
    public Fenced fence(String credential, Command c) {
        return act(credential, "fence", c, "fence (stop -m fast, else immediate)", () -> {
            NodeActions.Stopped s = agent.fence();
            return new Fenced(s.mode(), s.clusterState(), s.clean() ? s.shutdownCheckpoint() : null);
        });
    }

    @Override
    @Blocking
    public AgentNode.Promotion promote(String credential, Command c) {
        return act(
                credential,
                "promote",
                c,
                "promote" + (c.waitPast() == null ? "" : " after replaying past " + c.waitPast()),
                () -> agent.promote(
                        c.waitPast() == null ? null : Lsn.parse(c.waitPast()), c.synchronousStandbyNames()));
    }

    @Override
    @Blocking
    public Following follow(String credential, Command c) {
        return act(credential, "follow", c, "follow " + c.primary(), () -> {
            agent.follow(primary(c));
            return new Following(c.primary());
        });
    }

    @Override
    @Blocking
    public RejoinOutcome rejoin(String credential, Command c) {
        return act(credential, "rejoin", c, "rejoin as a standby of " + c.primary(), () -> agent.rejoin(primary(c)));
    }

    @Override
    @Blocking
    public RejoinOutcome reinit(String credential, Command c) {
        return act(credential, "reinit", c, "rebuild from " + c.primary(), () -> agent.reinit(primary(c)));
    }

    @Override
    @Blocking
    public Started start(String credential, Command c) {
        return act(credential, "start", c, "start", () -> {
            agent.start();
            return new Started(true);
        });
    }

    @Override
    @Blocking
    public Configured configure(String credential, Command c) {
        return act(credential, "configure", c, "configure synchronous standbys and slots", () -> {
            agent.configure(c.synchronousStandbyNames(), c.slots() == null ? List.of() : c.slots());
            return new Configured(true);
        });
    }

    @Override
    public LeaseAnswer confirmLease(String credential, LeaseQuestion q) {
        if (!agent.isAgent()) {
            throw new Answer(notAgent());
        }
        // a question nobody could forge: each confirmation holds this agent back from promotion for a ttl
        AgentCommandKeys.Verified verified = keys.verifyLease(credential);
        Optional<AgentCredential.Refused> refused = verified.refused() != null
                ? Optional.of(verified.refused())
                : AgentCredential.checkLease(
                        verified.claims(),
                        AgentCredential.audience(agent.cluster().value(), q.primary()));
        if (refused.isPresent()) {
            refusals.refused(LEASE_CONFIRMATION, refused.get(), caller());
            throw new Answer(Problems.response(
                    401,
                    "No lease credential",
                    "lease-confirmation refused: " + refused.get().reason()
                            + " (the asking primary must show the lease credential of its last grant)"));
        }
        if (!agent.isReady()) {
            throw new Answer(
                    Problems.response(503, "Agent starting", "the agent has not read the topology to its end"));
        }
        var v = agent.confirmLease(
                Term.of(q.term()),
                NodeName.of(q.primary()),
                Term.of(verified.claims().term()));
        return new LeaseAnswer(v.confirmed(), v.term().value(), v.reason());
    }

    private static NodeName primary(Command c) {
        if (c.primary() == null) {
            throw new IllegalArgumentException("primary is required");
        }
        return NodeName.of(c.primary());
    }

    /**
     * Runs the operation once per operation id: its result is the 200 answer; a repeated id is answered
     * "running" (202) or with the remembered outcome, whatever its type, as an {@link Answer}.
     */
    private <T> T act(String credential, String op, Command c, String what, Supplier<T> action) {
        if (!agent.isAgent()) {
            throw new Answer(notAgent());
        }
        authorize(credential, op, c);
        Optional<Operations.Known> known = operations.begin(c.operationId());
        if (known.isPresent()) {
            Operations.Known k = known.get();
            throw new Answer(
                    k.running()
                            ? Response.accepted(new Running(c.operationId(), Running.RUNNING))
                                    .type(MediaType.APPLICATION_JSON)
                                    .build()
                            : Response.status(k.status())
                                    .entity(k.body())
                                    .type(k.status() == 200 ? MediaType.APPLICATION_JSON : Problems.PROBLEM_JSON)
                                    .build());
        }
        T result;
        try {
            result = agent.underTerm(Term.of(c.term()), c.deadline(), what, action);
        } catch (RuntimeException e) {
            Response r = refusal(what, e);
            operations.end(c.operationId(), r.getStatus(), r.getEntity());
            throw new Answer(r);
        }
        operations.end(c.operationId(), 200, result);
        return result;
    }

    /**
     * Throws 401 problem+json, after reporting the refusal, unless {@code credential} is the coordinator's for
     * {@code op} on this node (and for {@code c}, when there is a command).
     */
    private void authorize(String credential, String op, Command c) {
        AgentCommandKeys.Verified v = keys.verify(credential);
        Optional<AgentCredential.Refused> refused = v.refused() != null
                ? Optional.of(v.refused())
                : AgentCredential.check(
                        v.claims(),
                        AgentCredential.audience(
                                agent.cluster().value(), agent.node().value()),
                        op,
                        c == null ? null : c.signed());
        if (refused.isPresent()) {
            refusals.refused(op, refused.get(), caller());
            throw new Answer(Problems.response(
                    401,
                    "Not the coordinator",
                    op + " refused: " + refused.get().reason()));
        }
    }

    private String caller() {
        try {
            var address = request.getCurrent().request().remoteAddress();
            return address == null ? null : address.host() + ":" + address.port();
        } catch (RuntimeException e) { // no current request (never on a served call)
            return null;
        }
    }

    private static Response refusal(String what, RuntimeException e) {
        return switch (e) {
            case AgentNode.NotReady n -> Problems.response(503, "Agent starting", n.getMessage());
            case AgentNode.Expired x -> Problems.response(409, "Command expired", x.getMessage());
            case AgentNode.TermRefused t ->
                Problems.response(409, "Term refused (" + t.verdict.name().toLowerCase() + ")", t.getMessage());
            case IllegalArgumentException i -> Problems.response(400, "Invalid command", i.getMessage());
            default -> Problems.response(500, what + " failed", e.getMessage());
        };
    }

    private static Response notAgent() {
        return Problems.response(
                404,
                "Not an agent",
                "this replication-service instance sits beside no node (set pgops.agent.cluster and pgops.agent.node)");
    }
}
