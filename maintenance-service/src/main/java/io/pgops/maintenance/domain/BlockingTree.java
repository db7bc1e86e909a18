package io.pgops.maintenance.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who blocks whom, as trees: each root holds a lock others wait for and waits for nobody; under it the
 * sessions waiting for it, and under those the ones waiting for them. Built from {@code pg_blocking_pids}
 * rows. A cycle (a deadlock before the detector ends it) has no such root: its lowest pid is made the root so
 * the cycle still shows, once.
 */
public final class BlockingTree {
    private BlockingTree() {}

    /**
     * A session from {@code pg_stat_activity}.
     *
     * @param blockedBy {@code pg_blocking_pids(pid)}
     * @param waitingMillis how long its current state lasts, milliseconds
     * @param query its statement, already shortened
     */
    public record Session(
            int pid,
            List<Integer> blockedBy,
            String user,
            String application,
            String state,
            String waitEvent,
            long waitingMillis,
            String query) {
        public Session {
            blockedBy = List.copyOf(Objects.requireNonNull(blockedBy, "blockedBy"));
        }
    }

    /** A session and those it blocks; {@code blocks} is empty for a leaf. */
    public record Node(Session session, int waiting, List<Node> blocks) {}

    /** The trees, the root with the most sessions waiting under it first. */
    public static List<Node> of(List<Session> sessions) {
        Map<Integer, Session> byPid = new LinkedHashMap<>();
        sessions.forEach(s -> byPid.put(s.pid(), s));
        Map<Integer, List<Session>> waiters = new LinkedHashMap<>();
        for (Session s : sessions) {
            for (int blocker : s.blockedBy()) {
                waiters.computeIfAbsent(blocker, k -> new ArrayList<>()).add(s);
            }
        }
        Set<Integer> placed = new HashSet<>();
        List<Node> roots = new ArrayList<>();
        List<Integer> rootPids = waiters.keySet().stream()
                .filter(pid -> {
                    Session s = byPid.get(pid);
                    return s == null || s.blockedBy().isEmpty();
                })
                .sorted()
                .toList();
        for (int pid : rootPids) {
            roots.add(node(pid, byPid, waiters, placed));
        }
        // what is left waits in a cycle: the lowest pid of each stands for it
        waiters.keySet().stream().sorted().forEach(pid -> {
            if (!placed.contains(pid)) {
                roots.add(node(pid, byPid, waiters, placed));
            }
        });
        roots.sort(Comparator.comparingInt(Node::waiting).reversed());
        return List.copyOf(roots);
    }

    private static Node node(
            int pid, Map<Integer, Session> byPid, Map<Integer, List<Session>> waiters, Set<Integer> placed) {
        placed.add(pid);
        Session s =
                byPid.getOrDefault(pid, new Session(pid, List.of(), null, null, "gone or not visible", null, 0, null));
        List<Node> children = new ArrayList<>();
        int waiting = 0;
        for (Session w : waiters.getOrDefault(pid, List.of())) {
            if (placed.contains(w.pid())) {
                continue; // already shown (several blockers, or the cycle closes here)
            }
            Node child = node(w.pid(), byPid, waiters, placed);
            children.add(child);
            waiting += 1 + child.waiting();
        }
        return new Node(s, waiting, List.copyOf(children));
    }
}
