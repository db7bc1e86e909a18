package io.pgops.health.domain;

import static io.pgops.health.domain.CheckNames.BLOCKED_SESSIONS;
import static io.pgops.health.domain.CheckNames.IDLE_IN_TRANSACTION;
import static io.pgops.health.domain.CheckNames.LONG_QUERIES;

import io.pgops.health.domain.sample.NodeSample;
import io.pgops.health.domain.sample.Sessions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Long statements, idle transactions and blocking lock chains, with the pids and statements. */
public final class SessionChecks {
    /** How many sessions the evidence names; the count covers all of them. */
    static final int NAMED = 3;

    private SessionChecks() {}

    public static List<CheckResult> evaluate(NodeSample node, Thresholds t) {
        Sessions s = node.sessions();
        List<CheckResult> out = new ArrayList<>();
        if (s == null) {
            return out;
        }
        out.add(CheckResult.above(
                LONG_QUERIES,
                Severity.WARNING,
                s.longQueries(),
                t.longQueryCount(),
                "sessions",
                s.longQueries() + " statement(s) running longer than "
                        + Text.millis(t.longQueryAge().toMillis()) + named(s.longQuerySamples())));

        long idleMax = s.idleInTransaction().stream()
                .mapToLong(Sessions.Session::ageMillis)
                .max()
                .orElse(0);
        out.add(CheckResult.above(
                IDLE_IN_TRANSACTION,
                Severity.WARNING,
                idleMax,
                t.idleInTransactionAge().toMillis(),
                "milliseconds",
                (s.idleInTransaction().isEmpty()
                                ? "no session idle in a transaction longer than "
                                : "longest idle in a transaction for more than ")
                        + Text.millis(t.idleInTransactionAge().toMillis())
                        + named(s.idleInTransaction())));

        List<Sessions.Blocked> blocked = s.blocked().stream()
                .filter(b -> b.waitMillis() > t.blockedAge().toMillis())
                .toList();
        long waiting =
                blocked.stream().mapToInt(Sessions.Blocked::pid).distinct().count();
        out.add(CheckResult.above(
                BLOCKED_SESSIONS,
                Severity.WARNING,
                waiting,
                t.blockedSessions(),
                "sessions",
                waiting + " session(s) blocked longer than "
                        + Text.millis(t.blockedAge().toMillis()) + chains(blocked)));
        return out;
    }

    private static String named(List<Sessions.Session> sessions) {
        if (sessions.isEmpty()) {
            return "";
        }
        return ": "
                + sessions.stream()
                        .limit(NAMED)
                        .map(x -> "pid " + x.pid() + " (" + x.user() + ", " + Text.millis(x.ageMillis()) + "): "
                                + x.query())
                        .collect(Collectors.joining("; "));
    }

    /** "pid 200 (UPDATE …) waits 12.0 s for pid 100 (idle in transaction: UPDATE …)" per edge. */
    private static String chains(List<Sessions.Blocked> edges) {
        if (edges.isEmpty()) {
            return "";
        }
        return ": "
                + edges.stream()
                        .limit(NAMED)
                        .map(b -> "pid " + b.pid() + " (" + b.query() + ") waits " + Text.millis(b.waitMillis())
                                + " for pid " + b.blockerPid() + " (" + b.blockerState() + ": " + b.blockerQuery()
                                + ")")
                        .collect(Collectors.joining("; "));
    }
}
