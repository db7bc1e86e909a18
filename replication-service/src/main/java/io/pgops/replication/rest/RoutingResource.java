package io.pgops.replication.rest;

import io.pgops.events.replication.TopologyChanged;
import io.pgops.kit.rest.Problems;
import io.pgops.replication.domain.ByteSize;
import io.pgops.replication.domain.Lease;
import io.pgops.replication.domain.NodeStatus;
import io.pgops.replication.domain.RoutingCheck;
import io.pgops.replication.service.AgentNode;
import io.pgops.replication.service.LocalNode;
import io.pgops.replication.service.PrimaryLease;
import io.pgops.replication.service.TopologyView;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Patroni-compatible routing checks served by each agent, so existing HAProxy setups carry over
 * ({@code option httpchk} with GET, HEAD or OPTIONS): 200 when the node fits, 503 when not.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class RoutingResource {
    private final LocalNode node;
    private final AgentNode agent;
    private final TopologyView view;
    private final PrimaryLease lease;

    public RoutingResource(LocalNode node, AgentNode agent, TopologyView view, PrimaryLease lease) {
        this.node = node;
        this.lease = lease;
        this.agent = agent;
        this.view = view;
    }

    /** 200 only on the writable node that the newest committed topology names the target primary. */
    @GET
    @Path("{check: primary|master|leader}")
    public Uni<Response> primary() {
        if (!node.isAgent()) {
            return answer(false, RoutingCheck::primary);
        }
        // the lease first, before PostgreSQL is even asked, and again once it answered: a check that began before
        // a pause of this process must not vouch for the primary after it
        Lease.Look before = lease.look();
        if (!before.routable()) {
            return leaseLost(before);
        }
        return answer(false, s -> {
            Lease.Look after = lease.look();
            return after.routable()
                    ? RoutingCheck.primary(
                            s,
                            agent.node(),
                            view.latest(agent.cluster()).map(TopologyChanged::targetPrimary),
                            agent.isReady())
                    : new RoutingCheck.Verdict(503, after.reason());
        });
    }

    private Uni<Response> leaseLost(Lease.Look l) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("node", node.name());
        b.put("term", agent.highestTerm().value());
        b.put("reason", l.reason());
        return Uni.createFrom().item(Response.status(503).entity(b).build());
    }

    @HEAD
    @Path("{check: primary|master|leader}")
    public Uni<Response> primaryHead() {
        return primary();
    }

    @OPTIONS
    @Path("{check: primary|master|leader}")
    public Uni<Response> primaryOptions() {
        return primary();
    }

    /** A streaming standby; {@code ?lag=16MB} bounds its replay lag behind the primary. */
    @GET
    @Path("{check: replica}")
    public Uni<Response> replica(@QueryParam("lag") String lag) {
        OptionalLong bound;
        try {
            bound = lag == null || lag.isBlank() ? OptionalLong.empty() : OptionalLong.of(ByteSize.parse(lag));
        } catch (IllegalArgumentException | ArithmeticException e) {
            return Uni.createFrom().item(Problems.response(400, "Invalid lag", e.getMessage()));
        }
        return answer(bound.isPresent(), s -> RoutingCheck.replica(s, bound));
    }

    @OPTIONS
    @Path("{check: replica}")
    public Uni<Response> replicaOptions(@QueryParam("lag") String lag) {
        return replica(lag);
    }

    @GET
    @Path("{check: read-only}")
    public Uni<Response> readOnly() {
        return answer(false, RoutingCheck::readOnly);
    }

    @GET
    @Path("{check: health}")
    public Uni<Response> health() {
        return answer(false, RoutingCheck::health);
    }

    private Uni<Response> answer(boolean withPrimaryLsn, Function<NodeStatus, RoutingCheck.Verdict> check) {
        if (!node.isAgent()) {
            return Uni.createFrom()
                    .item(Problems.response(
                            404,
                            "Not an agent",
                            "this replication-service instance sits beside no node (set pgops.agent.cluster and"
                                    + " pgops.agent.node)"));
        }
        return node.status(withPrimaryLsn).map(s -> {
            RoutingCheck.Verdict v = check.apply(s);
            return Response.status(v.status()).entity(body(s, v)).build();
        });
    }

    /** Patroni's field names where they exist, so tools that parse them keep working. */
    private Map<String, Object> body(NodeStatus s, RoutingCheck.Verdict v) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("state", s.running() ? "running" : "stopped");
        b.put("role", s.role());
        b.put("server_version", s.serverVersion());
        if (s.timeline() != null) {
            b.put("timeline", s.timeline().value());
        }
        Map<String, Object> xlog = new LinkedHashMap<>();
        if (s.currentLsn() != null) {
            xlog.put("location", s.currentLsn().format());
        }
        if (s.replayLsn() != null) {
            xlog.put("replayed_location", s.replayLsn().format());
        }
        if (s.walReceiverStatus() != null) {
            xlog.put("received_status", s.walReceiverStatus());
        }
        if (s.replayLagBytes() >= 0) {
            xlog.put("replay_lag_bytes", s.replayLagBytes());
        }
        b.put("xlog", xlog);
        b.put("node", node.name());
        if (node.isAgent()) {
            b.put("term", agent.highestTerm().value());
        }
        b.put("reason", v.reason());
        return b;
    }
}
