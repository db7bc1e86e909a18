package io.pgops.replication.rest;

import io.pgops.events.model.NodeName;
import io.pgops.events.replication.Member;
import io.pgops.events.replication.TopologyChanged;
import io.pgops.kit.inventory.Inventory;
import io.pgops.replication.domain.AgentReport;
import io.pgops.replication.service.AgentClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The rows of the member table, like {@code patronictl list}: live from the agents, roles from the topology. */
final class MemberTable {
    private MemberTable() {}

    static List<Map<String, Object>> rows(
            Inventory.Cluster c,
            List<NodeName> names,
            Optional<TopologyChanged> t,
            AgentClient.Reports reports,
            Optional<AgentReport> primary) {
        Map<NodeName, AgentReport> live = reports.reports();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (NodeName n : names) {
            Inventory.Node spec = c.nodes().get(n.value());
            AgentReport r = live.get(n);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("member", n.value());
            row.put("host", spec.host() + ":" + spec.port());
            boolean isTarget = t.map(x -> x.targetPrimary().equals(n)).orElse(false);
            String role = r == null || !r.running()
                    ? "unknown"
                    : r.writable()
                            ? (isTarget ? "Leader" : "Primary (not the target!)")
                            : t.flatMap(x -> x.member(n)).map(Member::sync).orElse(false) ? "Sync Standby" : "Replica";
            row.put("role", role);
            row.put(
                    "state",
                    r == null
                            ? "unreachable"
                            : !r.running()
                                    ? "stopped"
                                    : r.writable() ? "running" : r.streaming() ? "streaming" : "running");
            row.put(
                    "timeline",
                    r == null || r.timeline() == null ? null : r.timeline().value());
            Long lagBytes = null;
            if (r != null
                    && r.inRecovery()
                    && primary.isPresent()
                    && primary.get().currentLsn() != null
                    && r.replayLsn() != null) {
                lagBytes = Math.max(0, primary.get().currentLsn().bytesSince(r.replayLsn()));
            } else if (r != null && r.writable()) {
                lagBytes = 0L;
            }
            row.put("lagMb", lagBytes == null ? null : Math.round(lagBytes / 1048576.0 * 100) / 100.0);
            List<String> tags = new ArrayList<>();
            if (spec.nofailover()) {
                tags.add("nofailover");
            }
            if (spec.nosync()) {
                tags.add("nosync");
            }
            if (spec.priority() != 1) {
                tags.add("priority=" + spec.priority());
            }
            row.put("tags", tags);
            if (r == null) {
                row.put("error", reports.unanswered().getOrDefault(n, "no report"));
            } else if (!r.running() && r.error() != null) {
                row.put("error", r.error());
            }
            rows.add(row);
        }
        return rows;
    }
}
