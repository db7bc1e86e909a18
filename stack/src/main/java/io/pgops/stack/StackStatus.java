package io.pgops.stack;

import io.pgops.pgtools.OsUser;
import io.pgops.pgtools.PgBinaries;
import io.pgops.stack.StackState.Component;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.process.Daemons;
import io.pgops.stack.process.Ports;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What runs where: one row per process, for people (a table) and scripts (JSON). */
public final class StackStatus {

    /**
     * @param running whether the process is alive
     * @param detail role for PostgreSQL (primary/standby, sync state), readiness for services
     */
    public record Row(String name, String kind, long pid, int port, boolean running, String detail) {}

    private StackStatus() {}

    public static List<Row> rows(StackLayout layout, StackState state) {
        Optional<PgBinaries> bin = PgBinaries.find();
        List<Row> rows = new ArrayList<>();
        for (Component c : state.components()) {
            switch (c.kind()) {
                case "postgres" -> {
                    if (bin.isEmpty()) {
                        rows.add(new Row(c.name(), c.kind(), 0, c.port(), false, "PostgreSQL tools not found"));
                        continue;
                    }
                    PgNode n = new PgNode(
                            c.name(),
                            Path.of(c.marker()),
                            layout.pgBase().resolve("run"),
                            c.port(),
                            bin.get(),
                            OsUser.forPostgres());
                    boolean up = n.isRunning();
                    rows.add(
                            new Row(c.name(), c.kind(), n.pid().orElse(0), c.port(), up, up ? pgDetail(n) : "stopped"));
                }
                case "kafka", "router" -> {
                    boolean up = Daemons.isOurs(c.pid(), c.marker());
                    rows.add(new Row(
                            c.name(),
                            c.kind(),
                            up ? c.pid() : 0,
                            c.port(),
                            up,
                            up && Ports.answers(c.port()) ? "listening" : up ? "starting" : "stopped"));
                }
                case "service" -> {
                    boolean up = Daemons.isOurs(c.pid(), c.marker());
                    String health = "stopped";
                    if (up) {
                        int s = Http.status("http://127.0.0.1:" + c.port() + "/q/health/ready");
                        health = s == 200 ? "ready" : s < 0 ? "starting" : "not ready (" + s + ")";
                    }
                    rows.add(new Row(c.name(), c.kind(), up ? c.pid() : 0, c.port(), up, health));
                }
                default -> {}
            }
        }
        return rows;
    }

    private static String pgDetail(PgNode n) {
        try {
            String role = n.role();
            if ("primary".equals(role)) {
                String standbys = n.sql("SELECT string_agg(application_name || '=' || sync_state, ',' ORDER BY"
                        + " application_name) FROM pg_stat_replication");
                return "primary" + (standbys.isEmpty() ? "" : " [" + standbys + "]");
            }
            return role;
        } catch (RuntimeException e) {
            return "running, not answering";
        }
    }

    public static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder(
                String.format("%-20s %-9s %-8s %-6s %s%n", "COMPONENT", "KIND", "PID", "PORT", "STATE"));
        for (Row r : rows) {
            sb.append(String.format(
                    "%-20s %-9s %-8s %-6d %s%n",
                    r.name(), r.kind(), r.pid() == 0 ? "-" : r.pid(), r.port(), r.detail()));
        }
        return sb.toString();
    }

    public static String json(List<Row> rows) {
        try {
            return StackState.json().writeValueAsString(rows);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
