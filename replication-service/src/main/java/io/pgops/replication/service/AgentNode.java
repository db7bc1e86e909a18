package io.pgops.replication.service;

import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Term;
import io.pgops.events.model.Timeline;
import io.pgops.events.replication.NodeFenced;
import io.pgops.events.replication.TopologyChanged;
import io.pgops.kit.inventory.Inventory;
import io.pgops.kit.inventory.Passwords;
import io.pgops.pgtools.OsUser;
import io.pgops.pgtools.PgBinaries;
import io.pgops.replication.config.AgentConfig;
import io.pgops.replication.domain.LeaseConfirmation;
import io.pgops.replication.domain.RejoinOutcome;
import io.pgops.replication.domain.TermGuard;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The agent's hands on its node: each operation carries the coordinator's term and runs only when
 * {@link TermGuard} accepts it, one at a time, with PostgreSQL's own tools. Stopping the agent leaves
 * PostgreSQL running.
 */
@ApplicationScoped
public class AgentNode {
    private static final Logger LOG = Logger.getLogger(AgentNode.class);

    /** A command refused for its term: the sender is not (or not yet provably) the current decider. */
    public static final class TermRefused extends RuntimeException {
        public final TermGuard.Verdict verdict;

        TermRefused(TermGuard.Verdict verdict, String message) {
            super(message);
            this.verdict = verdict;
        }
    }

    private final AgentConfig config;
    private final Inventory inventory;
    private final TopologyView view;
    private final Optional<TermStore> terms;
    private final PrimaryLease lease;
    /** Until when (nanoTime) this agent promised the failsafe not to be promoted nor follow another primary. */
    private volatile long promiseUntilNanos = System.nanoTime();

    private volatile NodeName promisedTo;
    private final AtomicReference<Term> highest;
    private final Object termLock = new Object();
    private volatile boolean ready;
    private volatile Term acting; // the term of the command running under the lock
    private volatile NodeActions actions;

    public AgentNode(AgentConfig config, Inventory inventory, TopologyView view, PrimaryLease lease) {
        this.config = config;
        this.lease = lease;
        this.inventory = inventory;
        this.view = view;
        this.terms = config.termFile()
                .map(Path::of)
                .or(() -> config.dataDir()
                        .flatMap(d -> config.node().map(n -> Path.of(d).resolveSibling(n + ".term"))))
                .map(TermStore::new);
        Term stored = terms.map(TermStore::load).orElse(Term.ZERO);
        this.highest = new AtomicReference<>(stored);
        if (isAgent() && stored.isNewerThan(Term.ZERO)) {
            LOG.infof(
                    "%s/%s: highest term seen before this start: %s (%s)",
                    cluster(), node(), stored, terms.get().file());
        }
    }

    /** A command that arrived before the agent could judge it: its view is not current since it started. */
    public static final class NotReady extends RuntimeException {
        NotReady(String message) {
            super(message);
        }
    }

    /**
     * Whether the agent takes commands and vouches for a primary: its view has read the topology to the
     * end offsets of its start and a writable node the topology does not name was stopped.
     */
    public boolean isReady() {
        return ready;
    }

    void markReady() {
        ready = true;
    }

    public boolean isAgent() {
        return config.cluster().isPresent() && config.node().isPresent();
    }

    public ClusterId cluster() {
        return ClusterId.of(config.cluster().orElseThrow());
    }

    public NodeName node() {
        return NodeName.of(config.node().orElseThrow());
    }

    /** The highest term seen: in a committed topology or in an accepted command, also before a restart. */
    public Term highestTerm() {
        Term committed = view.committedTerm(cluster());
        if (committed.isNewerThan(highest.get())) {
            raise(committed);
        }
        return highest.get();
    }

    /**
     * Raises the highest term seen, stored durably first. Its own lock, not the one commands run under: a
     * routing check that learns a newer term must not wait for a promotion to end.
     */
    private void raise(Term term) {
        synchronized (termLock) {
            if (term.isNewerThan(highest.get())) {
                terms.ifPresent(t -> t.save(term));
                highest.set(term);
            }
        }
    }

    /** A command that arrived, or got its turn, after its deadline: dropped without running. */
    public static final class Expired extends RuntimeException {
        Expired(String message) {
            super(message);
        }
    }

    /** As {@link #underTerm(Term, Instant, String, java.util.function.Supplier)} without a deadline. */
    public <T> T underTerm(Term term, String what, java.util.function.Supplier<T> action) {
        return underTerm(term, null, what, action);
    }

    /**
     * Runs {@code action} if {@code term} is current, waiting for its committed topology if need be, and
     * only if its turn comes before {@code deadline} (null: none): a command a paused coordinator sent,
     * or one that waited behind another, is dropped rather than run late.
     */
    public synchronized <T> T underTerm(
            Term term, Instant deadline, String what, java.util.function.Supplier<T> action) {
        if (deadline != null && Instant.now().isAfter(deadline)) {
            String why = what + " dropped: its deadline " + deadline + " passed before it could start";
            LOG.warnf("%s/%s: %s", cluster(), node(), why);
            throw new Expired(why);
        }
        if (!ready) {
            throw new NotReady(what + " refused: the agent has not yet read the topology to its end since it started");
        }
        TermGuard.Verdict v = TermGuard.judge(term, highestTerm(), view.committedTerm(cluster()));
        if (v == TermGuard.Verdict.UNCONFIRMED && view.awaitTerm(cluster(), term, config.termConfirmation())) {
            v = TermGuard.judge(term, highestTerm(), view.committedTerm(cluster()));
        }
        if (v != TermGuard.Verdict.ACCEPT) {
            String why = v == TermGuard.Verdict.STALE
                    ? what + " refused: term " + term + " is older than term " + highestTerm() + " already seen"
                    : what + " refused: no committed topology of term " + term + " within " + config.termConfirmation()
                            + " (newest: " + view.committedTerm(cluster()) + ")";
            LOG.warnf("%s/%s: %s", cluster(), node(), why);
            throw new TermRefused(v, why);
        }
        raise(term);
        LOG.infof("%s/%s: %s (term %s)", cluster(), node(), what, term);
        acting = term;
        try {
            return action.get();
        } finally {
            acting = null;
        }
    }

    /**
     * The read barrier before an irreversible step (stop, promote, rewind, rebuild, start): the view reads
     * the topology to the end offsets of this moment, and the step is refused if the command's term has
     * been superseded meanwhile, e.g. while a promotion waited for replay or a paused coordinator slept.
     */
    void barrier(String step) {
        Term term = acting;
        if (term == null) {
            return;
        }
        if (!view.awaitCaughtUp(config.termConfirmation())) {
            throw new TermRefused(
                    TermGuard.Verdict.UNCONFIRMED,
                    step + " refused: the topology could not be read to its current end within "
                            + config.termConfirmation());
        }
        Term newest = highestTerm();
        if (newest.isNewerThan(term)) {
            String why = step + " refused: term " + term + " was superseded by term " + newest + " before it ran";
            LOG.warnf("%s/%s: %s", cluster(), node(), why);
            throw new TermRefused(TermGuard.Verdict.STALE, why);
        }
    }

    /**
     * At start, before the agent serves anything: a writable PostgreSQL beside it that the newest committed
     * topology does not name as target (an old primary that came back while the agent was away) is
     * stopped at once ({@code -m immediate}: it must not take one more write). The fact to publish, if it
     * was stopped.
     */
    public Optional<NodeFenced> stopIfStrayPrimary() {
        Optional<TopologyChanged> t = view.latest(cluster());
        if (t.isEmpty()
                || t.get().targetPrimary().equals(node())
                || config.dataDir().isEmpty()) {
            return Optional.empty();
        }
        NodeActions a = actions();
        if (!a.isRunning() || !a.isPrimary()) {
            return Optional.empty();
        }
        a.stop("immediate");
        String why = "writable at the agent's start, but the topology of term "
                + t.get().term().value() + " names " + t.get().targetPrimary()
                + " the primary: stopped with pg_ctl stop -m immediate";
        LOG.warnf("%s/%s: %s", cluster(), node(), why);
        return Optional.of(new NodeFenced(
                cluster(),
                t.get().term(),
                node(),
                "shutdown",
                true,
                why,
                Instant.now().truncatedTo(ChronoUnit.MICROS)));
    }

    /** Whether the postmaster runs ({@code pg_ctl status}); null when this agent has no data directory. */
    public Boolean postmasterRunning() {
        return config.dataDir().isEmpty() ? null : actions().isRunning();
    }

    /**
     * Stops the node (fast: sessions end, the WAL reaches the connected standbys; escalated to immediate
     * when fast does not end in time). Its shutdown checkpoint only if it shut down cleanly: the
     * checkpoint of a crashed node proves nothing about what a candidate must have replayed.
     */
    public NodeActions.Stopped fence() {
        NodeActions a = actions();
        barrier("stop");
        NodeActions.Stopped s = a.fence(config.fenceFastTimeout());
        LOG.infof(
                "%s/%s: fenced (%s); cluster state \"%s\"%s",
                cluster(),
                node(),
                s.mode(),
                s.clusterState(),
                s.clean() ? ", shutdown checkpoint " + s.shutdownCheckpoint() : ": no shutdown checkpoint");
        return s;
    }

    /** Result of a promotion. */
    public record Promotion(Timeline previousTimeline, Timeline newTimeline, Lsn switchLsn, long promotionMillis) {}

    /**
     * Promotes the standby once it has replayed beyond {@code waitPast} (the old primary's shutdown
     * checkpoint; null to promote at once), with the given synchronous standbys in force from the first
     * write.
     */
    public Promotion promote(Lsn waitPast, String synchronousStandbyNames) {
        NodeActions a = actions();
        Timeline before = a.timeline();
        if (synchronousStandbyNames != null) {
            a.synchronousStandbyNames(synchronousStandbyNames); // a standby ignores it until promoted
        }
        if (waitPast != null && !a.awaitReplayPast(waitPast, config.catchUpTimeout())) {
            throw new IllegalStateException(
                    node() + " did not replay past " + waitPast + " within " + config.catchUpTimeout());
        }
        awaitPromise("pg_promote", null);
        barrier("pg_promote");
        long t0 = System.nanoTime();
        boolean promoted = a.promoteNow();
        // the coordinator ordered it under the current term: the new primary holds a lease from now, which the
        // coordinator counts from after its order returned. Granted before the checkpoint: /primary lets the
        // writes in as soon as PostgreSQL takes them
        lease.grant(t0, "promotion ordered in term " + acting.value());
        long millis = (System.nanoTime() - t0) / 1_000_000;
        if (promoted) {
            a.checkpoint(); // before the coordinator rewinds the old primary against it
        }
        Timeline after = a.timeline();
        if (!promoted) { // already a primary (a retried command): report what it is
            return new Promotion(after, after, a.switchPoint(after), 0);
        }
        return new Promotion(before, after, a.switchPoint(after), millis);
    }

    /** Re-points this running standby at {@code primary}. */
    public void follow(NodeName primary) {
        Inventory.Node p = node(primary);
        NodeActions a = actions();
        if (a.isPrimary()) {
            throw new IllegalStateException(node() + " is a primary: it must rejoin, not follow");
        }
        awaitPromise("follow " + primary, primary);
        a.follow(p.host(), p.port(), io.pgops.replication.domain.Slots.of(node()));
    }

    /** Makes this node a standby of {@code primary}: rewound, else rebuilt; running and streaming after. */
    public RejoinOutcome rejoin(NodeName primary) {
        Inventory.Node p = node(primary);
        barrier("rejoin (stop, pg_rewind)");
        return actions().rejoin(p.host(), p.port(), io.pgops.replication.domain.Slots.of(node()));
    }

    /** Rebuilds this node from {@code primary} with pg_basebackup. */
    public RejoinOutcome reinit(NodeName primary) {
        Inventory.Node p = node(primary);
        barrier("rebuild");
        return actions().reinit(p.host(), p.port(), io.pgops.replication.domain.Slots.of(node()));
    }

    /** Starts the node as it is. */
    public void start() {
        barrier("start");
        long t0 = System.nanoTime();
        actions().start();
        if (view.latest(cluster()).map(t -> t.targetPrimary().equals(node())).orElse(false)) {
            lease.grant(t0, "start ordered in term " + acting.value());
        }
    }

    /**
     * The failsafe asks: does the topology this agent has read name {@code primary}? If so, this agent promises
     * not to be promoted nor to follow another primary for a lease's ttl and its guard: the confirmed lease ends
     * within the ttl, and the guard covers its agent's watch (every 100 ms), its status check and the immediate
     * stop that follow.
     */
    public LeaseConfirmation.Verdict confirmLease(Term term, NodeName primary, Term grantedTerm) {
        LeaseConfirmation.Verdict v = LeaseConfirmation.judge(
                view.latest(cluster()), primary, term, node(), lease.look().routable(), grantedTerm);
        if (v.confirmed()) {
            long until =
                    System.nanoTime() + lease.ttl().toNanos() + lease.guard().toNanos();
            if (until - promiseUntilNanos > 0) {
                promiseUntilNanos = until;
            }
            promisedTo = primary;
        }
        return v;
    }

    /**
     * An agent that confirmed another primary's lease (the failsafe) waits until its promise has run out before
     * it is promoted or follows a primary other than the one it confirmed: that primary's lease has ended by then.
     */
    private void awaitPromise(String step, NodeName following) {
        long left = promiseUntilNanos - System.nanoTime();
        if (left <= 0 || (following != null && following.equals(promisedTo))) {
            return;
        }
        LOG.infof(
                "%s/%s: %s waits %d ms: this agent confirmed %s's lease (failsafe) until then",
                cluster(), node(), step, left / 1_000_000, promisedTo);
        try {
            java.util.concurrent.TimeUnit.NANOSECONDS.sleep(left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(step + " interrupted while waiting out a failsafe promise", e);
        }
    }

    /** The postmaster's pid from {@code postmaster.pid}, if that process is alive. */
    public Optional<Long> postmasterPid() {
        if (config.dataDir().isEmpty()) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(Path.of(config.dataDir().get(), "postmaster.pid"));
            long pid = Long.parseLong(lines.getFirst().strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(h -> pid);
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The lease ran out: {@code pg_ctl stop -m immediate}, and SIGKILL to the postmaster if it still lives 1 s
     * later. Not under the commands' lock: a command that runs long must not keep an unleased primary writable.
     */
    void stopForLease(long pid) {
        actions().stopImmediately(java.time.Duration.ofSeconds(1));
        ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(h -> {
            LOG.errorf(
                    "%s/%s: the postmaster %d still runs 1 s after stop -m immediate: SIGKILL", cluster(), node(), pid);
            h.destroyForcibly();
        });
    }

    /** On the primary: synchronous standbys (null: unchanged) and missing slots. */
    public void configure(String synchronousStandbyNames, List<String> slots) {
        NodeActions a = actions();
        for (String s : slots) {
            a.ensureSlot(s);
        }
        if (synchronousStandbyNames != null) {
            a.synchronousStandbyNames(synchronousStandbyNames);
        }
    }

    private Inventory.Node node(NodeName name) {
        Inventory.Node n = inventory.clusters().get(cluster().value()).nodes().get(name.value());
        if (n == null) {
            throw new IllegalArgumentException(name + " is not a node of " + cluster());
        }
        return n;
    }

    private NodeActions actions() {
        NodeActions a = actions;
        if (a != null) {
            return a;
        }
        Path dataDir = Path.of(config.dataDir()
                .orElseThrow(() -> new IllegalStateException(
                        "pgops.agent.data-dir is not set: this agent can watch its node but not act on it")));
        Inventory.Cluster c = inventory.clusters().get(cluster().value());
        Inventory.Node me = node(node());
        String replicationPassword = config.replication()
                .passwordFile()
                .map(f -> {
                    try {
                        return Files.readString(Path.of(f)).strip();
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException("cannot read the replication password file " + f, e);
                    }
                })
                .orElseThrow(() -> new IllegalStateException("pgops.agent.replication.password-file is not set"));
        PgBinaries bin = config.pgBin().map(b -> new PgBinaries(Path.of(b))).orElseGet(PgBinaries::locate);
        a = new NodeActions(new NodeHandle(
                node().value(),
                dataDir,
                me.port(),
                config.serverOptions().orElse(""),
                config.logFile().map(Path::of).orElse(dataDir.resolveSibling(node().value() + ".log")),
                bin,
                OsUser.forPostgres(),
                new NodeHandle.Account(c.credentials().username(), Passwords.read(c.credentials())),
                new NodeHandle.Account(config.replication().username(), replicationPassword),
                io.pgops.kit.inventory.PgTls.libpqEnv(c)));
        actions = a;
        return a;
    }
}
