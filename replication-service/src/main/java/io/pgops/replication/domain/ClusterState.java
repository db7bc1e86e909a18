package io.pgops.replication.domain;

import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Role;
import io.pgops.events.model.Timeline;
import io.pgops.events.replication.Member;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One look at a whole cluster: the inventory's nodes and what each agent reported (a missing report:
 * the agent did not answer). Derives the members of the topology and the current primary.
 */
public record ClusterState(List<NodeSpec> nodes, Map<NodeName, AgentReport> reports, Map<NodeName, String> unanswered) {

    public ClusterState {
        nodes = List.copyOf(nodes);
        reports = Map.copyOf(reports);
        unanswered = Map.copyOf(unanswered);
    }

    public ClusterState(List<NodeSpec> nodes, Map<NodeName, AgentReport> reports) {
        this(nodes, reports, Map.of());
    }

    /**
     * Why a node is not usable as reported: its agent's failure (refused, timed out, a reply that could
     * not be read) or its PostgreSQL's error; empty when it reported a running node.
     */
    public Optional<String> whyNotAnswering(NodeName node) {
        AgentReport r = reports.get(node);
        if (r == null) {
            return Optional.of("its agent did not report: " + unanswered.getOrDefault(node, "no agent-url"));
        }
        if (!r.running()) {
            return Optional.of("its PostgreSQL does not answer the agent: " + r.error());
        }
        return Optional.empty();
    }

    public Optional<AgentReport> report(NodeName node) {
        return Optional.ofNullable(reports.get(node));
    }

    public NodeSpec spec(NodeName node) {
        return nodes.stream()
                .filter(n -> n.name().equals(node))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(node + " is not a node of this cluster"));
    }

    public boolean has(NodeName node) {
        return nodes.stream().anyMatch(n -> n.name().equals(node));
    }

    /** The nodes that accept writes now. */
    public List<NodeName> writable() {
        return nodes.stream()
                .map(NodeSpec::name)
                .filter(n -> report(n).map(AgentReport::writable).orElse(false))
                .toList();
    }

    /**
     * The node that is primary now: the target when it accepts writes, else the one writable node;
     * empty while none (or, wrongly, several other than the target) accept writes.
     */
    public Optional<NodeName> currentPrimary(NodeName target) {
        List<NodeName> writable = writable();
        if (writable.contains(target)) {
            return Optional.of(target);
        }
        return writable.size() == 1 ? Optional.of(writable.getFirst()) : Optional.empty();
    }

    /** The members of the topology, primary first, with role, state, timeline, position, lag and tags. */
    public List<Member> members(NodeName target, Set<NodeName> fenced) {
        return members(target, fenced, null);
    }

    /**
     * @param recordedSync the synchronous standbys the topology records ({@link SyncPlan}); a member is
     *     {@code sync} when named there, also while it is away; null: as the primary reports now
     */
    public List<Member> members(NodeName target, Set<NodeName> fenced, List<NodeName> recordedSync) {
        Optional<NodeName> primary = currentPrimary(target);
        Optional<AgentReport> primaryReport = primary.flatMap(this::report);
        Optional<Lsn> primaryLsn = primaryReport.map(AgentReport::currentLsn);
        List<Member> members = new ArrayList<>();
        for (NodeSpec n : nodes) {
            Optional<AgentReport> r = report(n.name());
            Role role;
            String state;
            Lsn lsn = null;
            Long lag = null;
            Timeline timeline = null;
            boolean sync = false;
            if (r.isEmpty() || !r.get().running()) {
                role = fenced.contains(n.name()) ? Role.FENCED : Role.UNREACHABLE;
                state = r.isEmpty() ? "unreachable" : r.get().stopped() ? "stopped" : "not answering";
            } else {
                AgentReport a = r.get();
                timeline = a.timeline();
                if (a.writable()) {
                    role = Role.PRIMARY;
                    state = "running";
                    lsn = a.currentLsn();
                    lag = 0L;
                } else {
                    role = Role.STANDBY;
                    state = a.streaming() ? "streaming" : "running";
                    lsn = a.replayLsn();
                    if (primaryLsn.isPresent() && lsn != null) {
                        lag = Math.max(0, primaryLsn.get().bytesSince(lsn));
                    }
                    sync = primaryReport
                            .flatMap(p -> p.replica(n.name()))
                            .map(AgentReport.Replica::isSync)
                            .orElse(false);
                }
            }
            if (recordedSync != null) {
                sync = role != Role.PRIMARY && recordedSync.contains(n.name());
            }
            members.add(new Member(n.name(), role, n.host(), n.port(), lsn, sync, state, timeline, lag, n.tags()));
        }
        members.sort(Comparator.comparing((Member m) -> m.role() != Role.PRIMARY));
        return members;
    }

    /**
     * What a topology record must be republished for: roles, states, sync, timelines and tags, not the
     * WAL positions that move with every write.
     */
    public static Map<NodeName, String> shape(List<Member> members) {
        Map<NodeName, String> shape = new LinkedHashMap<>();
        for (Member m : members) {
            shape.put(
                    m.name(),
                    m.role() + "/" + m.state() + "/" + m.sync() + "/" + Objects.toString(m.timeline()) + "/"
                            + m.tags());
        }
        return shape;
    }
}
