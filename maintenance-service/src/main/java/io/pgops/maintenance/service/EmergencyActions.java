package io.pgops.maintenance.service;

import io.pgops.events.Requester;
import io.pgops.events.maintenance.EmergencyActionRequested;
import io.pgops.events.maintenance.MaintenanceCompleted;
import io.pgops.events.maintenance.MaintenanceFailed;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.maintenance.config.Policies;
import io.pgops.maintenance.domain.BackendSession;
import io.pgops.maintenance.domain.EmergencyCriteria;
import io.pgops.maintenance.domain.SessionTriage;
import io.pgops.maintenance.messaging.MaintenanceEventPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Guarded emergency actions (issue 19): a dry run lists exactly the sessions an action would hit and gives a
 * short-lived token for them; an administrator's confirmation with that token hits only the sessions of the dry run
 * that still qualify, each signalled by a statement that checks it is still the same session in the same state.
 * {@code EmergencyActionRequested} is on Kafka before any session is signalled.
 */
@ApplicationScoped
public class EmergencyActions {
    private static final Logger LOG = Logger.getLogger(EmergencyActions.class);

    private final ClusterNodes nodes;
    private final Policies policies;
    private final MaintenanceEventPublisher publisher;
    private final EmergencyTokens tokens;
    private final String instance;

    public EmergencyActions(ClusterNodes nodes, Policies policies, MaintenanceEventPublisher publisher) {
        this.nodes = nodes;
        this.policies = policies;
        this.publisher = publisher;
        this.instance = InstanceName.of(policies);
        this.tokens = policies.config()
                .emergency()
                .tokenKey()
                .map(ref -> EmergencyTokens.ofReference(ref, System.getenv()))
                .orElseGet(EmergencyTokens::ofOwnKey);
        org.jboss.logging.Logger.getLogger(EmergencyActions.class)
                .infof(
                        "emergency confirmation tokens signed with %s",
                        tokens.shared()
                                ? "the configured key (any instance with it takes them)"
                                : "this instance's own random key (set pgops.maintenance.emergency.token-key to"
                                        + " share them)");
    }

    /** The request cannot be confirmed (409): its token is unknown, expired, used, or for another request. */
    public static final class NotConfirmed extends RuntimeException {
        public NotConfirmed(String message) {
            super(message);
        }
    }

    /** Kafka did not acknowledge the command (503): nothing was signalled, since nothing may be off the record. */
    public static final class NotRecorded extends RuntimeException {
        public NotRecorded(String message) {
            super(message);
        }
    }

    /** A filter names a database or role the node does not have, or a pid the dry run did not show (422). */
    public static final class Unknown extends RuntimeException {
        public Unknown(String message) {
            super(message);
        }
    }

    public EmergencyResult dryRun(ClusterId id, String node, EmergencyCriteria c) {
        try (NodeSql sql = nodes.nodeOrPrimary(id, node, policies.config().reportTimeout())) {
            checkFilters(sql, c);
            SessionReads.Read read = SessionReads.read(sql);
            SessionTriage.Triage t = SessionTriage.triage(c, read.sessions(), read.at(), account(id));
            Instant expires = read.at().plus(policies.config().emergency().tokenTtl());
            Set<BackendSession.Key> seen = new HashSet<>();
            t.hits().forEach(h -> seen.add(h.session().key()));
            String token = tokens.issue(
                    new EmergencyTokens.Issued(id.value(), sql.node().value(), c, Set.copyOf(seen), expires));
            List<EmergencyResult.SessionView> views =
                    t.hits().stream().map(h -> view(h, null)).toList();
            return new EmergencyResult(
                    id.value(),
                    sql.node().value(),
                    c.action().code(),
                    true,
                    EmergencyResult.Criteria.of(c),
                    read.at(),
                    views,
                    t.spared(),
                    token,
                    expires,
                    null,
                    List.of());
        }
    }

    /**
     * Hits the sessions of the token's dry run that still qualify (narrowed to {@code pids} if given).
     *
     * @param c the criteria as the confirmation repeats them: they must be the dry run's
     */
    public EmergencyResult confirm(
            ClusterId id,
            String node,
            EmergencyCriteria c,
            String token,
            List<Integer> pids,
            String reason,
            Requester requester) {
        nodes.cluster(id);
        EmergencyTokens.Taken taken = tokens.take(token, Instant.now())
                .orElseThrow(() -> new NotConfirmed(
                        "the confirmation token is not one of this service's (another key), expired or already used:"
                                + " do the dry run again and confirm what it shows within "
                                + policies.config().emergency().tokenTtl().toSeconds() + " s"));
        EmergencyTokens.Issued dry = taken.issued();
        if (!dry.cluster().equals(id.value())
                || !dry.criteria().equals(c)
                || (node != null && !node.equals(dry.node()))) {
            throw new NotConfirmed("the token was issued for a dry run of other criteria (" + dry.criteria() + " on "
                    + dry.cluster() + "/" + dry.node() + "): confirm exactly what the dry run showed");
        }
        if (tokens.shared()) {
            claimAcrossInstances(id, taken);
        }
        Set<BackendSession.Key> seen = narrow(dry.seen(), pids);
        String correlation = UUID.randomUUID().toString();
        try (NodeSql sql =
                nodes.connect(id, NodeName.of(dry.node()), policies.config().reportTimeout())) {
            SessionReads.Read read = SessionReads.read(sql);
            SessionTriage.Confirmation conf = SessionTriage.confirm(
                    SessionTriage.triage(c, read.sessions(), read.at(), account(id)), seen, read.sessions());
            try {
                publisher.publish(
                        new EmergencyActionRequested(
                                id,
                                sql.node(),
                                c.action().code(),
                                c.longerThan().toSeconds(),
                                c.database(),
                                c.user(),
                                c.application(),
                                c.superusers().stream().sorted().toList(),
                                conf.hits().stream().map(h -> h.session().pid()).toList(),
                                requester.principal(),
                                reason),
                        correlation,
                        requester);
            } catch (IllegalStateException e) {
                throw new NotRecorded(e.getMessage() + "; no session was signalled: do the dry run again");
            }
            List<EmergencyResult.SessionView> views = new ArrayList<>();
            for (SessionTriage.Candidate h : conf.hits()) {
                views.add(view(h, signal(id, sql, c, h, correlation)));
            }
            List<EmergencyResult.MissedView> missed = new ArrayList<>();
            for (SessionTriage.Missed m : conf.missed()) {
                missed.add(new EmergencyResult.MissedView(
                        m.session().pid(), m.session().backendStart(), m.reason()));
                publisher.publish(
                        new MaintenanceFailed(
                                id,
                                UUID.randomUUID().toString(),
                                sql.node(),
                                c.action().code(),
                                "pid " + m.session().pid(),
                                m.reason(),
                                0,
                                Instant.now()),
                        correlation);
            }
            return new EmergencyResult(
                    id.value(),
                    sql.node().value(),
                    c.action().code(),
                    false,
                    EmergencyResult.Criteria.of(c),
                    read.at(),
                    views,
                    List.of(),
                    null,
                    null,
                    correlation,
                    missed);
        }
    }

    /**
     * A token any instance with the key takes is claimed on the cluster's primary before anything is signalled, so
     * it is taken once across the instances; the primary cannot record it: nothing is signalled (503).
     */
    private void claimAcrossInstances(ClusterId id, EmergencyTokens.Taken taken) {
        java.util.Optional<EmergencyTokenLedger.Taken> before;
        try (NodeSql sql = nodes.primary(id, policies.config().reportTimeout())) {
            before = EmergencyTokenLedger.claim(sql, taken, instance);
        } catch (NodeSql.SqlFailure | ClusterNodes.NoPrimary e) {
            throw new NotRecorded("the primary could not record that this token is taken (" + e.getMessage()
                    + "), and a shared token is taken once across the instances only with that record: no session"
                    + " was signalled; do the dry run again once the primary answers");
        }
        if (before.isPresent()) {
            throw new NotConfirmed("the confirmation token was already used, at "
                    + before.get().by()
                    + (before.get().at() == null ? "" : " at " + before.get().at())
                    + ": do the dry run again and confirm what it shows");
        }
    }

    /** One session signalled under the check that it is unchanged; the outcome in words. */
    private String signal(
            ClusterId id, NodeSql sql, EmergencyCriteria c, SessionTriage.Candidate h, String correlation) {
        BackendSession s = h.session();
        String function = c.action().terminates() ? "pg_terminate_backend" : "pg_cancel_backend";
        long start = System.nanoTime();
        String outcome;
        boolean done = false;
        try {
            var rows = sql.list(
                    Queries.SIGNAL.formatted(function),
                    r -> r.getBoolean(0),
                    s.pid(),
                    SessionReads.micros(s.backendStart()),
                    s.state(),
                    s.stateChange() == null ? -1L : SessionReads.micros(s.stateChange()));
            done = !rows.isEmpty() && Boolean.TRUE.equals(rows.getFirst());
            outcome = done
                    ? c.action().done()
                    : rows.isEmpty()
                            ? "not hit: it changed or ended between the read and the signal"
                            : "not hit: " + function + " found no such process";
        } catch (NodeSql.SqlFailure e) {
            outcome = "not hit: " + e.getMessage() + (e.sqlState() == null ? "" : " (SQLSTATE " + e.sqlState() + ")");
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        String taskId = UUID.randomUUID().toString();
        String who = "user " + s.user() + ", database " + s.database() + ", application '" + s.application()
                + "', client " + s.client();
        if (done) {
            publisher.publish(
                    new MaintenanceCompleted(
                            id,
                            taskId,
                            sql.node(),
                            c.action().code(),
                            "pid " + s.pid(),
                            0,
                            null,
                            null,
                            null,
                            null,
                            millis,
                            outcome + ": " + h.reason() + "; " + who,
                            Instant.now()),
                    correlation);
        } else {
            publisher.publish(
                    new MaintenanceFailed(
                            id,
                            taskId,
                            sql.node(),
                            c.action().code(),
                            "pid " + s.pid(),
                            outcome + "; " + who,
                            millis,
                            Instant.now()),
                    correlation);
        }
        LOG.infof("emergency %s on %s pid %d: %s", c.action().code(), id.value(), s.pid(), outcome);
        return outcome;
    }

    private static Set<BackendSession.Key> narrow(Set<BackendSession.Key> seen, List<Integer> pids) {
        if (pids == null || pids.isEmpty()) {
            return seen;
        }
        Set<BackendSession.Key> out = new HashSet<>();
        for (int pid : pids) {
            BackendSession.Key k = seen.stream()
                    .filter(s -> s.pid() == pid)
                    .findFirst()
                    .orElseThrow(() -> new Unknown("pid " + pid + " was not among the dry run's sessions"));
            out.add(k);
        }
        return out;
    }

    private void checkFilters(NodeSql sql, EmergencyCriteria c) {
        if (c.database() != null && !exists(sql, Queries.DATABASE_EXISTS, c.database())) {
            throw new Unknown("database '" + c.database() + "' does not exist on "
                    + sql.node().value());
        }
        for (String role : roles(c)) {
            if (!exists(sql, Queries.ROLE_EXISTS, role)) {
                throw new Unknown(
                        "role '" + role + "' does not exist on " + sql.node().value());
            }
        }
    }

    private static List<String> roles(EmergencyCriteria c) {
        List<String> out = new ArrayList<>(c.superusers().stream().sorted().toList());
        if (c.user() != null) {
            out.addFirst(c.user());
        }
        return out;
    }

    private static boolean exists(NodeSql sql, String query, String name) {
        return sql.query(query, name).iterator().next().getBoolean(0);
    }

    private String account(ClusterId id) {
        return nodes.cluster(id).credentials().username();
    }

    private static EmergencyResult.SessionView view(SessionTriage.Candidate h, String outcome) {
        BackendSession s = h.session();
        return new EmergencyResult.SessionView(
                s.pid(),
                s.user(),
                s.database(),
                s.application(),
                s.client(),
                s.state(),
                h.ageSeconds(),
                s.backendStart(),
                s.superuser(),
                s.query(),
                h.reason(),
                outcome);
    }
}
