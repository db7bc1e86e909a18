package io.pgops.replication.rest;

import io.pgops.events.EventEnvelope;
import io.pgops.events.OperatorCommand;
import io.pgops.events.PgopsEvent;
import io.pgops.events.Requester;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Term;
import io.pgops.events.replication.PauseRequested;
import io.pgops.events.replication.PromoteRequested;
import io.pgops.events.replication.ReinitRequested;
import io.pgops.events.replication.ResumeRequested;
import io.pgops.events.replication.SwitchoverCancellationRequested;
import io.pgops.events.replication.SwitchoverRequested;
import io.pgops.events.replication.TopologyChanged;
import io.pgops.kit.inventory.Inventory;
import io.pgops.kit.rest.JsonProblems;
import io.pgops.kit.rest.Problems;
import io.pgops.kit.security.Callers;
import io.pgops.kit.security.Roles;
import io.pgops.replication.domain.AgentReport;
import io.pgops.replication.domain.CommandRules;
import io.pgops.replication.domain.Refusal;
import io.pgops.replication.service.AgentClient;
import io.pgops.replication.service.CommandPublisher;
import io.pgops.replication.service.InventoryNodes;
import io.pgops.replication.service.TopologyView;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's surface, like {@code patronictl}: the member table, the topology and its history, and
 * the commands (promote, switchover, reinit, pause, resume). A command is checked against the inventory
 * and the committed topology first (4xx problem+json, nothing published, when it cannot apply), then
 * published as a command event with its principal and reason; {@code ?wait=N} waits up to N seconds for
 * the coordinator's outcome.
 */
@Path("/clusters")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ClusterResource {
    private final Inventory inventory;
    private final TopologyView view;
    private final AgentClient agents;
    private final CommandPublisher publisher;
    private final SecurityIdentity identity;

    public ClusterResource(
            Inventory inventory,
            TopologyView view,
            AgentClient agents,
            CommandPublisher publisher,
            SecurityIdentity identity) {
        this.inventory = inventory;
        this.view = view;
        this.agents = agents;
        this.publisher = publisher;
        this.identity = identity;
    }

    /**
     * @param term the term of the topology the operator looked at (optional; default the term this service
     *     sees now): the coordinator refuses the command ({@code stale-term}) if the cluster moved on
     */
    public record PromoteBody(
            @NotNull @Pattern(regexp = NodeName.PATTERN) String node,
            @NotBlank @Size(max = 500) String reason,
            Boolean force,
            @PositiveOrZero Long term) {}

    public record SwitchoverBody(
            @Pattern(regexp = NodeName.PATTERN) String target,
            Instant scheduledAt,
            @NotBlank @Size(max = 500) String reason) {}

    public record ReasonBody(@NotBlank @Size(max = 500) String reason) {}

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public List<Map<String, Object>> clusters() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String id : inventory.clusters().keySet().stream().sorted().toList()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cluster", id);
            view.latest(ClusterId.of(id)).ifPresent(t -> {
                m.put("term", t.term().value());
                m.put("targetPrimary", t.targetPrimary().value());
                m.put(
                        "currentPrimary",
                        t.currentPrimary() == null ? null : t.currentPrimary().value());
                m.put("paused", t.isPaused());
            });
            out.add(m);
        }
        return out;
    }

    /** The member table: live from the agents, roles and term from the committed topology. */
    @GET
    @Path("{id}")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Response members(@PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id) {
        Inventory.Cluster c = cluster(id);
        ClusterId cluster = ClusterId.of(id);
        Optional<TopologyChanged> t = view.latest(cluster);
        List<NodeName> names =
                c.nodes().keySet().stream().sorted().map(NodeName::of).toList();
        AgentClient.Reports reports = agents.reports(cluster, names);
        Map<NodeName, AgentReport> live = reports.reports();
        Optional<AgentReport> primary =
                t.flatMap(x -> Optional.ofNullable(x.currentPrimary())).map(live::get);
        List<Map<String, Object>> rows = MemberTable.rows(c, names, t, reports, primary);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("cluster", id);
        body.put("term", t.map(x -> x.term().value()).orElse(null));
        body.put("targetPrimary", t.map(x -> x.targetPrimary().value()).orElse(null));
        body.put("paused", t.map(TopologyChanged::isPaused).orElse(false));
        body.put("coordinator", t.map(TopologyChanged::coordinator).orElse(null));
        body.put("members", rows);
        return Response.ok(body).build();
    }

    @GET
    @Path("{id}/topology")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Response topology(@PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id) {
        cluster(id);
        return view.latest(ClusterId.of(id))
                .map(t -> Response.ok(t).build())
                .orElseGet(() -> Problems.response(
                        404, "No topology yet", "no coordinator has published a topology of " + id + " yet"));
    }

    /** Every command and decision, oldest first: time, type, term, principal, reason. */
    @GET
    @Path("{id}/history")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public List<Map<String, Object>> history(@PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id) {
        cluster(id);
        List<Map<String, Object>> out = new ArrayList<>();
        for (TopologyView.Entry e : view.history(ClusterId.of(id))) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("time", e.time());
            m.put("type", e.type());
            m.put("term", e.term());
            m.put("correlationId", e.correlationId());
            m.put("principal", e.principal());
            m.put("reason", e.reason());
            m.put("data", e.event().data());
            out.add(m);
        }
        return out;
    }

    @POST
    @Path("{id}/promote")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    public Response promote(
            @PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id,
            @QueryParam("wait") @DefaultValue("0") @PositiveOrZero @Max(300) int wait,
            @Valid @NotNull(message = JsonProblems.BODY_REQUIRED) PromoteBody body) {
        if (Boolean.TRUE.equals(body.force())) {
            Callers.require(identity, Roles.ADMIN, "a forced promotion");
        }
        Requester requester = Callers.requester(identity);
        String principal = requester.principal();
        cluster(id);
        TopologyChanged t = topologyOf(id);
        PromoteRequested cmd = new PromoteRequested(
                ClusterId.of(id),
                NodeName.of(body.node()),
                Boolean.TRUE.equals(body.force()),
                principal,
                body.reason(),
                body.term() == null ? t.term() : Term.of(body.term()));
        return refused(id, t, cmd, false).orElseGet(() -> send(cmd, requester, wait));
    }

    @POST
    @Path("{id}/switchover")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    public Response switchover(
            @PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id,
            @QueryParam("wait") @DefaultValue("0") @PositiveOrZero @Max(300) int wait,
            @Valid @NotNull(message = JsonProblems.BODY_REQUIRED) SwitchoverBody body) {
        Requester requester = Callers.requester(identity);
        String principal = requester.principal();
        cluster(id);
        TopologyChanged t = topologyOf(id);
        NodeName to = body.target() == null ? null : NodeName.of(body.target());
        SwitchoverRequested cmd = new SwitchoverRequested(
                ClusterId.of(id),
                t.targetPrimary().equals(to) ? null : t.targetPrimary(), // the rules refuse it: already the primary
                to,
                body.scheduledAt(),
                principal,
                body.reason());
        return refused(id, t, cmd, false).orElseGet(() -> send(cmd, requester, wait));
    }

    /** The scheduled switchover, if any. */
    @GET
    @Path("{id}/switchover")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Response scheduled(@PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id) {
        cluster(id);
        TopologyChanged t = topologyOf(id);
        if (t.scheduledSwitchover() == null) {
            return Problems.response(404, "Nothing scheduled", "no switchover is scheduled for " + id);
        }
        return Response.ok(t.scheduledSwitchover()).build();
    }

    /** Cancels the scheduled switchover. */
    @jakarta.ws.rs.DELETE
    @Path("{id}/switchover")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Response cancel(
            @PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id,
            @QueryParam("reason") @NotBlank @Size(max = 500) String reason,
            @QueryParam("wait") @DefaultValue("0") @PositiveOrZero @Max(300) int wait) {
        Requester requester = Callers.requester(identity);
        String principal = requester.principal();
        cluster(id);
        TopologyChanged t = topologyOf(id);
        var cmd = new SwitchoverCancellationRequested(ClusterId.of(id), principal, reason);
        return refused(id, t, cmd, false).orElseGet(() -> send(cmd, requester, wait));
    }

    @POST
    @Path("{id}/nodes/{node}/reinit")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response reinit(
            @PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id,
            @PathParam("node") @Pattern(regexp = NodeName.PATTERN) String node,
            @QueryParam("wait") @DefaultValue("0") @PositiveOrZero @Max(300) int wait,
            @Valid @NotNull(message = JsonProblems.BODY_REQUIRED) ReasonBody body) {
        Requester requester = Callers.requester(identity);
        String principal = requester.principal();
        cluster(id);
        TopologyChanged t = topologyOf(id);
        var cmd = new ReinitRequested(ClusterId.of(id), NodeName.of(node), principal, body.reason());
        return refused(id, t, cmd, true).orElseGet(() -> send(cmd, requester, wait));
    }

    @POST
    @Path("{id}/pause")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    public Response pause(
            @PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id,
            @QueryParam("wait") @DefaultValue("0") @PositiveOrZero @Max(300) int wait,
            @Valid @NotNull(message = JsonProblems.BODY_REQUIRED) ReasonBody body) {
        Requester requester = Callers.requester(identity);
        String principal = requester.principal();
        cluster(id);
        topologyOf(id);
        return send(new PauseRequested(ClusterId.of(id), principal, body.reason()), requester, wait);
    }

    @POST
    @Path("{id}/resume")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    public Response resume(
            @PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id,
            @QueryParam("wait") @DefaultValue("0") @PositiveOrZero @Max(300) int wait,
            @Valid @NotNull(message = JsonProblems.BODY_REQUIRED) ReasonBody body) {
        Requester requester = Callers.requester(identity);
        String principal = requester.principal();
        cluster(id);
        topologyOf(id);
        return send(new ResumeRequested(ClusterId.of(id), principal, body.reason()), requester, wait);
    }

    private Response send(PgopsEvent command, Requester requester, int waitSeconds) {
        EventEnvelope e = publisher.publish(command, requester);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("commandId", e.id());
        body.put("type", e.type());
        body.put("correlationId", e.correlationId());
        return view.awaitFollowUp(
                        e.correlationId(), f -> CommandOutcome.of(command, f, body), Duration.ofSeconds(waitSeconds))
                .orElseGet(() -> {
                    body.put("status", "accepted");
                    return Response.accepted(body).build();
                });
    }

    /**
     * The command's own rules on the committed topology ({@link CommandRules}, the coordinator applies
     * them again with the live reports): a refusal as problem+json, nothing published.
     */
    private Optional<Response> refused(String id, TopologyChanged t, OperatorCommand command, boolean nodeInPath) {
        Instant now = Instant.now();
        CommandRules.Verdict v = CommandRules.decide(
                CommandRules.Snapshot.committed(t, InventoryNodes.of(inventory, ClusterId.of(id))),
                command,
                now,
                "-",
                now,
                new CommandRules.Limits(0, 0));
        if (v instanceof CommandRules.Refuse r) {
            int status = nodeInPath && r.code() == Refusal.UNKNOWN_NODE
                    ? 404
                    : r.code().status();
            // as the coordinator's refusal of a published command answers: with its code
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("type", "about:blank");
            p.put("title", r.code().title());
            p.put("status", status);
            p.put("detail", r.sentence());
            p.put("code", r.code().code());
            return Optional.of(Response.status(status)
                    .type(Problems.PROBLEM_JSON)
                    .entity(p)
                    .build());
        }
        return Optional.empty();
    }

    private Inventory.Cluster cluster(String id) {
        Inventory.Cluster c = inventory.clusters().get(id);
        if (c == null) {
            throw new NotApplicable(404, "Unknown cluster", id + " is not in the inventory");
        }
        return c;
    }

    private TopologyChanged topologyOf(String id) {
        return view.latest(ClusterId.of(id))
                .orElseThrow(() -> new NotApplicable(
                        503, "No coordinator yet", "no topology of " + id + " has been committed yet; retry shortly"));
    }

    /** A request that cannot apply: answered as problem+json, nothing published. */
    static final class NotApplicable extends RuntimeException {
        final int status;
        final String title;

        NotApplicable(int status, String title, String detail) {
            super(detail);
            this.status = status;
            this.title = title;
        }
    }

    @org.jboss.resteasy.reactive.server.ServerExceptionMapper
    Response notApplicable(NotApplicable r) {
        return Problems.response(r.status, r.title, r.getMessage());
    }
}
