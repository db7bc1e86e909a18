package io.pgops.maintenance.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which sessions an emergency action hits. A session qualifies when it is in the action's state for longer than the
 * threshold and matches the filters; of those, some are never hit: the connection pgops asks with, replication
 * connections (walsenders), autovacuum workers and other background processes, pgops' own sessions (its account,
 * or an {@code application_name} that starts with {@code pgops}), and superusers the request did not name. Those are
 * reported as spared, with the reason, so a dry run shows what it left alone.
 */
public final class SessionTriage {
    /** Application names pgops' own components connect with ({@code pgops-maintenance}, {@code pgops-health}, …). */
    public static final String OWN_APPLICATION_PREFIX = "pgops";

    private SessionTriage() {}

    /** A session the action would hit, with how long it has been doing what it does. */
    public record Candidate(BackendSession session, long ageSeconds, String reason) {}

    /** Sessions that qualified but are never hit, by reason. */
    public record Spared(String reason, List<Integer> pids) {}

    /** The sessions to hit (oldest first) and those spared. */
    public record Triage(List<Candidate> hits, List<Spared> spared) {}

    /** A session of the dry run that the confirmed action does not hit, and why. */
    public record Missed(BackendSession.Key session, String reason) {}

    /** What a confirmed action hits: only sessions seen in its dry run that still qualify now. */
    public record Confirmation(List<Candidate> hits, List<Missed> missed) {}

    /**
     * @param ownAccount the account pgops connects with (the inventory's); its sessions are pgops' own
     */
    public static Triage triage(EmergencyCriteria c, List<BackendSession> sessions, Instant now, String ownAccount) {
        List<Candidate> hits = new ArrayList<>();
        Map<String, List<Integer>> spared = new LinkedHashMap<>();
        for (BackendSession s : sessions) {
            if (!c.action().concerns(s.state())) {
                continue;
            }
            Instant since = c.action().ageFromQueryStart() ? s.queryStart() : s.stateChange();
            if (since == null) {
                continue;
            }
            Duration age = Duration.between(since, now);
            if (age.compareTo(c.longerThan()) <= 0 || !matches(c, s)) {
                continue;
            }
            String protection = protection(c, s, ownAccount);
            if (protection != null) {
                spared.computeIfAbsent(protection, k -> new ArrayList<>()).add(s.pid());
                continue;
            }
            hits.add(new Candidate(
                    s,
                    age.toSeconds(),
                    c.action().doing() + " for " + age.toSeconds() + " s (longer than "
                            + c.longerThan().toSeconds() + " s)"));
        }
        hits.sort(Comparator.comparingLong(Candidate::ageSeconds).reversed());
        List<Spared> sparedList = spared.entrySet().stream()
                .map(e -> new Spared(e.getKey(), e.getValue().stream().sorted().toList()))
                .toList();
        return new Triage(List.copyOf(hits), sparedList);
    }

    /**
     * The sessions a confirmed action hits: those of {@code now} (a triage just read) that the dry run showed
     * ({@code seen}, pid and backend start: a reused pid is another session). A session of the dry run that is gone,
     * or no longer qualifies (it became active, a new query started), is missed, with the reason; a session that
     * qualifies now but was not in the dry run is not hit — the administrator never saw it.
     */
    public static Confirmation confirm(Triage now, Set<BackendSession.Key> seen, List<BackendSession> current) {
        List<Candidate> hits = now.hits().stream()
                .filter(h -> seen.contains(h.session().key()))
                .toList();
        Set<BackendSession.Key> hit =
                Set.copyOf(hits.stream().map(h -> h.session().key()).toList());
        Set<BackendSession.Key> present =
                Set.copyOf(current.stream().map(BackendSession::key).toList());
        List<Missed> missed = seen.stream()
                .filter(k -> !hit.contains(k))
                .sorted(Comparator.comparingInt(BackendSession.Key::pid))
                .map(k -> new Missed(
                        k,
                        present.contains(k)
                                ? "changed since the dry run: it no longer qualifies (or is now spared); not hit"
                                : "gone since the dry run (ended, or its pid is another session now); not hit"))
                .toList();
        return new Confirmation(hits, missed);
    }

    private static boolean matches(EmergencyCriteria c, BackendSession s) {
        return (c.database() == null || c.database().equals(s.database()))
                && (c.user() == null || c.user().equals(s.user()))
                && (c.application() == null || c.application().equals(s.application()));
    }

    /** Why a qualifying session is never hit, or null. */
    private static String protection(EmergencyCriteria c, BackendSession s, String ownAccount) {
        if (s.asking()) {
            return "the connection pgops asks with";
        }
        if ("walsender".equals(s.backendType())) {
            return "replication connection (walsender)";
        }
        if ("autovacuum worker".equals(s.backendType())) {
            return "autovacuum worker";
        }
        if (!"client backend".equals(s.backendType())) {
            return "background process (" + s.backendType() + ")";
        }
        if ((s.application() != null && s.application().startsWith(OWN_APPLICATION_PREFIX))
                || (ownAccount != null && ownAccount.equals(s.user()))) {
            return "pgops' own session";
        }
        if (s.superuser() && !c.superusers().contains(s.user())) {
            return "superuser " + s.user() + " (name it in superusers to include it)";
        }
        return null;
    }
}
