package io.pgops.maintenance.service;

import io.pgops.events.model.NodeName;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The one way this service runs SQL on a node: one connection, values always bound as parameters, and the
 * only text spliced into a statement is a name quoted by {@code ObjectName.quoted()} after the catalogue check.
 * Blocking (callers are REST worker threads and the run's own thread), each call bounded by the session's
 * {@code statement_timeout} plus a margin.
 */
public final class NodeSql implements AutoCloseable {
    private static final Duration MARGIN = Duration.ofSeconds(5);

    private final NodeName node;
    private final PgConnection conn;
    private Duration wait;
    private volatile boolean broken;

    private NodeSql(NodeName node, PgConnection conn, Duration wait) {
        this.node = node;
        this.conn = conn;
        this.wait = wait;
    }

    /** A connection whose statements wait at most {@code statementTimeout} (set as the session's). */
    static NodeSql connect(
            Vertx vertx, NodeName node, PgConnectOptions options, Duration connectTimeout, Duration statementTimeout) {
        options.addProperty("statement_timeout", Long.toString(statementTimeout.toMillis()));
        try {
            PgConnection c = PgConnection.connect(vertx, options).await().atMost(connectTimeout.plus(MARGIN));
            return new NodeSql(node, c, statementTimeout.plus(MARGIN));
        } catch (RuntimeException e) {
            throw new SqlFailure(node, "cannot connect: " + describe(e), null);
        }
    }

    public NodeName node() {
        return node;
    }

    /** Rows of a statement with bound parameters. */
    public RowSet<Row> query(String sql, Object... params) {
        try {
            return conn.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(wait);
        } catch (RuntimeException e) {
            throw failure(e);
        }
    }

    /** Each row mapped, in order. */
    public <T> List<T> list(String sql, Function<Row, T> map, Object... params) {
        List<T> out = new ArrayList<>();
        for (Row r : query(sql, params)) {
            out.add(map.apply(r));
        }
        return out;
    }

    /**
     * A statement without parameters on the simple protocol, outside any transaction block (VACUUM and the
     * CONCURRENTLY forms refuse to run in one). Its text must hold nothing from outside but quoted names.
     */
    public void execute(String sql) {
        try {
            conn.query(sql).execute().await().atMost(wait);
        } catch (RuntimeException e) {
            throw failure(e);
        }
    }

    /** Sets the session's {@code lock_timeout} and {@code statement_timeout} (numbers, never text from outside). */
    public void timeouts(Duration lockTimeout, Duration statementTimeout) {
        execute("SET lock_timeout = " + lockTimeout.toMillis());
        execute("SET statement_timeout = " + statementTimeout.toMillis());
        wait = statementTimeout.plus(MARGIN);
    }

    /** False once a statement failed without PostgreSQL's answer (timeout, closed connection). */
    public boolean isUsable() {
        return !broken;
    }

    @Override
    public void close() {
        conn.closeAndForget();
    }

    private SqlFailure failure(RuntimeException e) {
        Throwable cause = e;
        while (cause != null && !(cause instanceof PgException)) {
            cause = cause.getCause();
        }
        if (cause instanceof PgException pg) {
            return new SqlFailure(node, pg.getErrorMessage(), pg.getSqlState());
        }
        broken = true; // no answer from PostgreSQL: the connection cannot be trusted any more
        return new SqlFailure(node, describe(e), null);
    }

    static String describe(Throwable e) {
        String msg = e.getMessage();
        return e.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }

    /** A statement or connection failed; the message is PostgreSQL's own (it never holds a password). */
    public static final class SqlFailure extends RuntimeException {
        private final transient NodeName node;
        private final String sqlState;

        SqlFailure(NodeName node, String message, String sqlState) {
            super(message);
            this.node = node;
            this.sqlState = sqlState;
        }

        public NodeName node() {
            return node;
        }

        /** SQLSTATE, or null if it was not a database error. */
        public String sqlState() {
            return sqlState;
        }
    }
}
