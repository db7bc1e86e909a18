package io.pgops.replication.service;

import io.pgops.events.model.Lsn;
import io.pgops.events.model.Timeline;
import io.pgops.pgtools.Cmd;
import io.pgops.pgtools.CommandFailedException;
import io.pgops.replication.domain.RejoinOutcome;
import java.nio.file.Path;
import java.util.List;

/**
 * What an agent does to its own node, each operation idempotent and bounded in time, done by
 * PostgreSQL's own tools (pg_ctl, pg_rewind, pg_basebackup, psql). The coordinator decides; this only
 * acts. Not yet wired to commands: the coordinator issue drives these through Kafka with terms.
 */
public final class NodeActions {
    private final NodeHandle node;

    public NodeActions(NodeHandle node) {
        this.node = node;
    }

    /** SQL as the superuser over TCP; the password goes through the environment, not the command line. */
    public String sql(String sql) {
        return Cmd.of(
                        node.bin().tool("psql"),
                        "-X",
                        "-q",
                        "-A",
                        "-t",
                        "-v",
                        "ON_ERROR_STOP=1",
                        "-h",
                        "127.0.0.1",
                        "-p",
                        Integer.toString(node.port()),
                        "-U",
                        node.superuser().user(),
                        "-d",
                        "postgres")
                .env("PGPASSWORD", node.superuser().password())
                .env(node.libpq())
                .env("PGCONNECT_TIMEOUT", "5")
                .input(sql)
                .timeoutSeconds(90)
                .run()
                .strip();
    }

    public boolean isRunning() {
        return pgCtl("status").tryRun().exitCode() == 0;
    }

    public boolean isPrimary() {
        return "f".equals(sql("SELECT pg_is_in_recovery()"));
    }

    public void start() {
        start(120);
    }

    /**
     * Starts PostgreSQL and waits up to {@code waitSeconds} for it to accept connections; past that pg_ctl fails
     * but the server goes on starting (a standby that cannot reach consistency without WAL it has yet to stream
     * must not hold the coordinator's loop for minutes).
     */
    public void start(int waitSeconds) {
        if (!isRunning()) {
            pgCtl(
                            "start",
                            "-w",
                            "-t",
                            Integer.toString(waitSeconds),
                            "-l",
                            node.logFile().toString(),
                            "-o",
                            node.serverOptions())
                    .timeoutSeconds(waitSeconds + 30)
                    .run();
        }
    }

    /** How long a rejoined or rebuilt standby's start may wait for it to accept connections. */
    static final int STANDBY_START_WAIT_SECONDS = 30;

    public void stop(String mode) {
        if (isRunning()) {
            pgCtl("stop", "-w", "-t", "60", "-m", mode).timeoutSeconds(90).run();
        }
    }

    /** {@code pg_ctl stop -m immediate}, waiting at most {@code wait}; whatever the outcome (the caller checks). */
    public void stopImmediately(java.time.Duration wait) {
        pgCtl("stop", "-w", "-t", Long.toString(Math.max(1, wait.toSeconds())), "-m", "immediate")
                .timeoutSeconds(Math.max(1, wait.toSeconds()) + 2)
                .tryRun();
    }

    /**
     * Promotes the standby and checkpoints at once (so a pg_rewind against it right after sees the new
     * timeline). A primary is left alone.
     */
    public void promote() {
        if (isPrimary()) {
            return;
        }
        if (!"t".equals(sql("SELECT pg_promote(true, 60)"))) {
            throw new IllegalStateException(node.name() + " did not finish promotion within 60 s");
        }
        sql("CHECKPOINT");
    }

    /**
     * Promotes this standby (one psql session; it takes writes when this returns true); false when it was
     * already a primary. Set synchronous_standby_names before, not in the same breath: a configuration reload
     * that the startup process handles as the promote signal arrives was seen to delay promotion by
     * wal_retrieve_retry_interval (5 s). {@link #checkpoint} after it, before anyone rewinds against it.
     */
    public boolean promoteNow() {
        String result = sql("SELECT CASE WHEN pg_is_in_recovery() THEN pg_promote(true, 60)::text ELSE 'primary' END");
        if ("primary".equals(result)) {
            return false;
        }
        if (!"true".equals(result)) {
            throw new IllegalStateException(node.name() + " did not finish promotion within 60 s");
        }
        return true;
    }

    /**
     * A checkpoint, so that pg_control shows a new primary's timeline: right after pg_promote, pg_rewind against
     * it may wrongly find "no rewind required".
     */
    public void checkpoint() {
        sql("CHECKPOINT");
    }

    /** A physical slot for {@code standby} on this node (slots are not copied to standbys). */
    public void ensureSlot(String slot) {
        sql("SELECT pg_create_physical_replication_slot(" + literal(slot) + ") WHERE NOT EXISTS (SELECT 1 FROM"
                + " pg_replication_slots WHERE slot_name = " + literal(slot) + ")");
    }

    /** Sets {@code synchronous_standby_names} to exactly {@code value} (as {@code SyncStandbys} chose it). */
    public void synchronousStandbyNames(String value) {
        sql("ALTER SYSTEM SET synchronous_standby_names = " + literal(value) + ";\nSELECT pg_reload_conf()");
    }

    /**
     * How a node was stopped: {@code mode} ("fast", "immediate" after a fast stop that did not end in
     * time, or "already stopped"), and its shutdown checkpoint only when pg_control says the cluster
     * was shut down cleanly.
     */
    public record Stopped(String mode, String clusterState, Lsn shutdownCheckpoint) {
        public boolean clean() {
            return shutdownCheckpoint != null;
        }
    }

    /**
     * Stops the node for good: {@code stop -m fast} (sessions end, the WAL reaches the connected standbys,
     * a shutdown checkpoint is written), escalated to {@code -m immediate} when the fast stop does not end
     * within {@code fastTimeout} (a hung checkpointer, a stuck backend).
     */
    public Stopped fence(java.time.Duration fastTimeout) {
        String mode = "already stopped";
        if (isRunning()) {
            long seconds = Math.max(1, fastTimeout.toSeconds());
            Cmd.Result fast = pgCtl("stop", "-w", "-t", Long.toString(seconds), "-m", "fast")
                    .timeoutSeconds(seconds + 30)
                    .tryRun();
            if (fast.exitCode() == 0) {
                mode = "fast";
            } else {
                pgCtl("stop", "-w", "-t", "60", "-m", "immediate")
                        .timeoutSeconds(90)
                        .run();
                mode = "immediate";
            }
        }
        Control c = control();
        return new Stopped(mode, c.state(), "shut down".equals(c.state()) ? c.checkpoint() : null);
    }

    /** What pg_control says: the cluster state and the start of the last checkpoint record. */
    record Control(String state, Lsn checkpoint) {}

    Control control() {
        String out = Cmd.of(
                        node.bin().tool("pg_controldata"), "-D", node.dataDir().toString())
                .as(node.osUser())
                .env("LC_ALL", "C")
                .timeoutSeconds(30)
                .run();
        String state = null;
        Lsn checkpoint = null;
        for (String line : out.split("\n")) {
            if (line.startsWith("Database cluster state:")) {
                state = line.substring(line.indexOf(':') + 1).strip();
            } else if (line.startsWith("Latest checkpoint location:")) {
                checkpoint = Lsn.parse(line.substring(line.indexOf(':') + 1).strip());
            }
        }
        if (state == null || checkpoint == null) {
            throw new IllegalStateException("pg_controldata printed no cluster state or checkpoint location");
        }
        return new Control(state, checkpoint);
    }

    /** Waits until this standby has replayed beyond {@code lsn}; false when the time ran out first. */
    public boolean awaitReplayPast(Lsn lsn, java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String check = "SELECT coalesce(pg_last_wal_replay_lsn() > " + literal(lsn.format()) + "::pg_lsn, false)";
        while (System.nanoTime() < deadline) {
            if ("t".equals(sql(check))) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** The timeline this node is on (a standby: the one it replays). */
    public Timeline timeline() {
        return Timeline.of(Long.parseLong(sql("SELECT CASE WHEN pg_is_in_recovery() THEN"
                + " greatest((SELECT received_tli FROM pg_stat_wal_receiver),"
                + " (SELECT timeline_id FROM pg_control_checkpoint()),"
                + " (SELECT max(('x' || substr(name, 1, 8))::bit(32)::int) FROM pg_ls_waldir()"
                + " WHERE name ~ '^[0-9A-F]{8}[.]history$')) ELSE"
                + " ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int END")));
    }

    /** Where {@code timeline} branched off its parent, from its history file (written at promotion). */
    public Lsn switchPoint(Timeline timeline) {
        String history = sql("SELECT pg_read_file('pg_wal/' || lpad(upper(to_hex(" + timeline.value()
                + ")), 8, '0') || '.history')");
        String[] lines = history.strip().split("\n");
        String[] last = lines[lines.length - 1].split("\\s+");
        return Lsn.parse(last[1]);
    }

    /**
     * Replaces this node's data directory with a fresh pg_basebackup of {@code host:port} and starts it
     * as that node's standby.
     */
    public RejoinOutcome reinit(String host, int port, String slot) {
        long t0 = System.nanoTime();
        stop("immediate");
        rebuild(host, port, slot);
        becomeStandbyOf(host, port, slot);
        start();
        return new RejoinOutcome(
                "rebuild", (System.nanoTime() - t0) / 1_000_000, "rebuilt with pg_basebackup on request");
    }

    /** Names the synchronous standby(s) on this primary: {@code FIRST n ("a", "b")}, or none. */
    public void synchronousStandbys(int count, List<String> names) {
        String value = names.isEmpty()
                ? ""
                : "FIRST " + count + " ("
                        + String.join(
                                ", ", names.stream().map(n -> "\"" + n + "\"").toList()) + ")";
        sql("ALTER SYSTEM SET synchronous_standby_names = " + literal(value));
        sql("SELECT pg_reload_conf()");
    }

    /** Re-points this running standby at a new primary; primary_conninfo is reloadable (PG 13+). */
    public void follow(String host, int port, String slot) {
        try {
            sql("ALTER SYSTEM SET primary_conninfo = " + literal(conninfo(host, port)));
        } catch (CommandFailedException e) {
            // psql echoes a failing statement, and this one holds the replication password: drop the output
            throw new IllegalStateException(
                    node.name() + ": ALTER SYSTEM SET primary_conninfo failed (output withheld: it holds a password)");
        }
        sql("ALTER SYSTEM SET primary_slot_name = " + literal(slot));
        sql("SELECT pg_reload_conf()");
    }

    /**
     * Brings a former primary back as a standby of {@code host:port}: rewound when its history can be
     * rewound, rebuilt with pg_basebackup when not. Leaves the node running and streaming.
     */
    public RejoinOutcome rejoin(String host, int port, String slot) {
        long t0 = System.nanoTime();
        stop("fast");
        String reason;
        String method;
        try {
            // pg_rewind (PG 13+) first runs crash recovery itself on a data directory that was not shut
            // down cleanly, as after a kill -9
            Cmd.of(
                            node.bin().tool("pg_rewind"),
                            "--target-pgdata=" + node.dataDir(),
                            "--source-server=host=" + host + " port=" + port + " user="
                                    + node.superuser().user() + " dbname=postgres")
                    .as(node.osUser())
                    .env("PGPASSWORD", node.superuser().password())
                    .env(node.libpq())
                    .timeoutSeconds(600)
                    .run();
            method = "rewind";
            reason = "pg_rewind replayed the new primary's history onto the old data directory";
        } catch (CommandFailedException e) {
            rebuild(host, port, slot);
            method = "rebuild";
            reason = "pg_rewind failed, rebuilt with pg_basebackup: " + firstLine(e.getMessage());
        }
        becomeStandbyOf(host, port, slot);
        start(STANDBY_START_WAIT_SECONDS);
        return new RejoinOutcome(method, (System.nanoTime() - t0) / 1_000_000, reason);
    }

    private void rebuild(String host, int port, String slot) {
        Cmd.of("find", node.dataDir().toString(), "-mindepth", "1", "-delete")
                .as(node.osUser())
                .run();
        Cmd.of(
                        node.bin().tool("pg_basebackup"),
                        "-D",
                        node.dataDir().toString(),
                        "-h",
                        host,
                        "-p",
                        Integer.toString(port),
                        "-U",
                        node.replication().user(),
                        "-X",
                        "stream",
                        "-c",
                        "fast",
                        "-S",
                        slot,
                        "-w")
                .as(node.osUser())
                .env("PGPASSWORD", node.replication().password())
                .env(node.libpq())
                .timeoutSeconds(1800)
                .run();
    }

    /**
     * standby.signal plus the new upstream in postgresql.auto.conf, replacing the upstream lines any earlier
     * rejoin, follow or pg_basebackup wrote (so rejoining twice leaves one set, not a growing file).
     */
    private void becomeStandbyOf(String host, int port, String slot) {
        String settings = "# pgops agent: standby of " + host + ":" + port + "\nprimary_conninfo = "
                + literal(conninfo(host, port)) + "\nprimary_slot_name = " + literal(slot) + "\n";
        Cmd.of(
                        "sh",
                        "-c",
                        "f=\"$1/postgresql.auto.conf\" && touch \"$1/standby.signal\" \"$f\""
                                + " && sed -i -e '/^primary_conninfo *=/d' -e '/^primary_slot_name *=/d'"
                                + " -e '/^# pgops agent: standby of /d' -e '/^$/d' \"$f\" && cat >> \"$f\"",
                        "sh",
                        node.dataDir().toString())
                .as(node.osUser())
                .input(settings)
                .run();
    }

    /**
     * The standby's connection to {@code host:port}. The password is never in it: PostgreSQL logs a reloaded
     * {@code primary_conninfo} in full ("parameter ... changed to ..."), which the stack's secret-leak search
     * found in a standby's log after a switchover. libpq reads it from a password file beside the data
     * directory, written here (mode 600, as the PostgreSQL OS user) before every use.
     */
    private String conninfo(String host, int port) {
        Path passfile = passFile();
        StringBuilder c = new StringBuilder(
                "host=" + host + " port=" + port + " user=" + node.replication().user() + " passfile="
                        + conninfoValue(passfile.toString()) + " application_name=" + node.name());
        // the WAL receiver's connection under the cluster's sslmode and CA, as the agent's own tools
        String mode = node.libpq().get("PGSSLMODE");
        if (mode != null) {
            c.append(" sslmode=").append(conninfoValue(mode));
        }
        String ca = node.libpq().get("PGSSLROOTCERT");
        if (ca != null) {
            c.append(" sslrootcert=").append(conninfoValue(ca));
        }
        return c.toString();
    }

    private Path passFile() {
        Path f = node.dataDir().toAbsolutePath().resolveSibling(node.name() + ".replication.pgpass");
        String line = "*:*:*:" + pgpassField(node.replication().user()) + ":"
                + pgpassField(node.replication().password()) + "\n";
        Cmd.of("sh", "-c", "umask 077 && cat > \"$1.tmp\" && mv -f \"$1.tmp\" \"$1\"", "sh", f.toString())
                .as(node.osUser())
                .input(line)
                .run();
        return f;
    }

    /** A field of a libpq password file: backslash and colon escaped. */
    static String pgpassField(String value) {
        return value.replace("\\", "\\\\").replace(":", "\\:");
    }

    /** A conninfo value in single quotes: backslash and quote escaped. */
    static String conninfoValue(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private Cmd pgCtl(String... args) {
        List<String> argv = new java.util.ArrayList<>(
                List.of(node.bin().tool("pg_ctl"), "-D", node.dataDir().toString()));
        argv.addAll(List.of(args));
        return Cmd.of(argv).as(node.osUser());
    }

    /** A SQL string literal: single quotes doubled, so no value can end the literal. */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static String firstLine(String s) {
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}
