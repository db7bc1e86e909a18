package io.pgops.audit.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a flow is still open: a breach not yet recovered, a failover, switchover or promotion not yet completed or
 * refused, a backup, restore, maintenance run or migration not yet finished. Read from the CloudEvents types of the
 * flow's events in the order they happened: each opening event waits for one of its closing events after it;
 * events that open nothing (a finding such as a WAL gap, a refusal, a checkpoint) leave the flow as it was. Pure.
 */
public final class IncidentState {
    /** Opening event (the type's name, without prefix and version) → the events that close it. */
    static final Map<String, List<String>> CLOSERS = closers();

    private IncidentState() {}

    /**
     * @param open whether something the flow started is still waiting
     * @param waitingFor what it waits for, in words (e.g. {@code failover-started: waiting for failover-completed or
     *     failover-refused}); null when closed
     */
    public record State(boolean open, String waitingFor) {
        static final State CLOSED = new State(false, null);
    }

    /** The state of a flow whose events, in the order they happened, have these CloudEvents types. */
    public static State of(List<String> typesInOrder) {
        List<String> waiting = new ArrayList<>();
        for (String type : typesInOrder) {
            String name = name(type);
            waiting.removeIf(opened -> CLOSERS.get(opened).contains(name));
            if (CLOSERS.containsKey(name) && !waiting.contains(name)) {
                waiting.add(name);
            }
        }
        if (waiting.isEmpty()) {
            return State.CLOSED;
        }
        String last = waiting.getLast();
        return new State(true, last + ": waiting for " + String.join(" or ", CLOSERS.get(last)));
    }

    /** {@code io.pgops.replication.failover-started.v1} → {@code failover-started}. */
    static String name(String type) {
        if (type == null) {
            return "";
        }
        String t = type.replaceFirst("\\.v[0-9]+$", "");
        return t.substring(t.lastIndexOf('.') + 1);
    }

    private static Map<String, List<String>> closers() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("health-check-failed", List.of("health-check-recovered"));
        m.put("lag-exceeded", List.of("lag-recovered"));
        m.put("node-unreachable", List.of("node-reachable"));
        // the failover a health breach starts carries the breach's correlation id
        m.put("primary-unreachable", List.of("failover-completed", "failover-refused", "node-reachable"));
        m.put("failover-started", List.of("failover-completed", "failover-refused"));
        m.put("promote-requested", List.of("failover-completed", "failover-refused"));
        m.put(
                "switchover-requested",
                List.of("failover-completed", "failover-refused", "switchover-cancellation-requested"));
        m.put("backup-requested", List.of("backup-completed", "backup-failed"));
        m.put("backup-started", List.of("backup-completed", "backup-failed"));
        m.put("restore-requested", List.of("restore-completed", "restore-failed"));
        m.put("maintenance-due", List.of("maintenance-completed", "maintenance-failed"));
        m.put("maintenance-started", List.of("maintenance-completed", "maintenance-failed"));
        m.put("emergency-action-requested", List.of("maintenance-completed", "maintenance-failed"));
        m.put("migration-requested", List.of("migration-applied", "migration-failed"));
        return java.util.Collections.unmodifiableMap(m);
    }
}
