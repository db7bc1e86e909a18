package io.pgops.stack.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgops.stack.StackLayout;
import io.pgops.stack.auth.Tokens;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The on-call verbs of {@code bin/pgops}: they call the services' REST APIs with a bearer token, print tables
 * for people and {@code --json} for scripts, and exit non-zero with the server's problem message when a call
 * is refused. The token is {@code --token}, else {@code PGOPS_TOKEN}, else (beside a local stack) one minted
 * with the stack's key for the role the verb needs.
 */
@Command(
        name = "pgops",
        mixinStandardHelpOptions = true,
        description =
                "pgops for the people on call (the local stack's verbs up|status|stop|test|token|backup stay in bin/pgops)",
        subcommands = {
            OpsCli.Clusters.class,
            OpsCli.Topology.class,
            OpsCli.Switchover.class,
            OpsCli.Promote.class,
            OpsCli.Backup.class,
            OpsCli.Maintenance.class,
            OpsCli.Audit.class,
            OpsCli.IncidentCmd.class,
            OpsCli.Completion.class
        })
public final class OpsCli {
    @Option(
            names = "--token",
            description = "bearer token (default: $PGOPS_TOKEN, else one from the local stack's key)")
    String token;

    @Option(
            names = "--json",
            description = "print the server's JSON instead of a table",
            scope = CommandLine.ScopeType.INHERIT)
    boolean json;

    @Spec
    CommandLine.Model.CommandSpec spec;

    Map<String, String> env = System.getenv();
    StackLayout layout;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.getenv()));
    }

    /** Runs one command line; returns the exit status (0 done, 1 refused or failed, 2 usage). */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        return run(
                args,
                out,
                err,
                env,
                StackLayout.fromEnvironment(Path.of(System.getProperty("pgops.repo", "."))
                        .toAbsolutePath()
                        .normalize()));
    }

    /** As {@link #run(String[], PrintWriter, PrintWriter, Map)} beside the local stack laid out as {@code layout}. */
    public static int run(
            String[] args, PrintWriter out, PrintWriter err, Map<String, String> env, StackLayout layout) {
        OpsCli cli = new OpsCli();
        cli.env = env;
        cli.layout = layout;
        CommandLine cl = new CommandLine(cli).setOut(out).setErr(err);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof Api.Failure f) {
                err.println("pgops: " + f.getMessage());
                err.flush();
                return 1;
            }
            throw e;
        });
        return cl.execute(args);
    }

    Api api() {
        String given = token != null ? token : env.get("PGOPS_TOKEN");
        return new Api(new Endpoints(env, layout), role -> {
            if (given != null && !given.isBlank()) {
                return given;
            }
            try {
                return Tokens.in(layout.secretsDir()).mint("pgops-cli", List.of(role), Duration.ofMinutes(10));
            } catch (RuntimeException e) {
                throw new Api.Failure(-1, "no token: pass --token or set PGOPS_TOKEN (" + e.getMessage() + ")");
            }
        });
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    void printJson(JsonNode n) {
        try {
            out().println(Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n));
            out().flush();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    @Command(
            name = "clusters",
            mixinStandardHelpOptions = true,
            description =
                    "every cluster: term, primary, members with role, state and lag, last backup, recent incidents")
    static final class Clusters implements Callable<Integer> {
        @ParentCommand
        OpsCli root;

        @Override
        public Integer call() {
            Api api = root.api();
            ArrayNode all = Api.JSON.createArrayNode();
            for (JsonNode c : api.get("replication", "/clusters", Tokens.VIEWER)) {
                String id = c.path("cluster").asText();
                ObjectNode one = Api.JSON.createObjectNode();
                one.set("cluster", c);
                one.set(
                        "members",
                        api.get("replication", "/clusters/" + enc(id), Tokens.VIEWER)
                                .path("members"));
                JsonNode backups = api.get("backup", "/clusters/" + enc(id) + "/backups", Tokens.VIEWER);
                one.set("lastBackup", backups.size() == 0 ? null : backups.get(backups.size() - 1));
                one.set("incidents", api.get("audit", "/audit/incidents?limit=5&cluster=" + enc(id), Tokens.VIEWER));
                all.add(one);
            }
            if (root.json) {
                root.printJson(all);
                return 0;
            }
            PrintWriter out = root.out();
            for (JsonNode one : all) {
                JsonNode c = one.path("cluster");
                out.printf(
                        "cluster %s  term %s  primary %s%s%n",
                        c.path("cluster").asText(),
                        text(c, "term"),
                        text(c, "currentPrimary"),
                        c.path("paused").asBoolean() ? "  (automatic failover paused)" : "");
                Table t = new Table("MEMBER", "HOST", "ROLE", "STATE", "TIMELINE", "LAG MB");
                for (JsonNode m : one.path("members")) {
                    t.row(
                            text(m, "member"),
                            text(m, "host"),
                            text(m, "role"),
                            text(m, "state"),
                            text(m, "timeline"),
                            text(m, "lagMb"));
                }
                t.print(out);
                JsonNode b = one.path("lastBackup");
                out.printf(
                        "last backup: %s%n",
                        b.isMissingNode() || b.isNull()
                                ? "none"
                                : text(b, "id") + " completed " + text(b, "completedAt") + ", "
                                        + b.path("verification").path("state").asText());
                out.println("recent incidents:");
                Table i = new Table("CORRELATION", "STARTED", "STEPS", "LAST");
                for (JsonNode inc : one.path("incidents")) {
                    JsonNode steps = inc.path("steps");
                    i.row(
                            text(inc, "correlationId"),
                            text(inc, "startedAt"),
                            steps.size(),
                            steps.size() == 0
                                    ? null
                                    : steps.get(steps.size() - 1)
                                            .path("fact")
                                            .path("type")
                                            .asText());
                }
                i.print(out);
                out.println();
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "topology", mixinStandardHelpOptions = true, description = "the committed topology of a cluster")
    static final class Topology implements Callable<Integer> {
        @ParentCommand
        OpsCli root;

        @Parameters(index = "0", description = "cluster id")
        String cluster;

        @Override
        public Integer call() {
            JsonNode t = root.api().get("replication", "/clusters/" + enc(cluster) + "/topology", Tokens.VIEWER);
            if (root.json) {
                root.printJson(t);
                return 0;
            }
            PrintWriter out = root.out();
            t.fields()
                    .forEachRemaining(f -> out.printf(
                            "%-22s %s%n",
                            f.getKey(),
                            f.getValue().isValueNode()
                                    ? f.getValue().asText()
                                    : f.getValue().toString()));
            out.flush();
            return 0;
        }
    }

    /** Prints a command's answer: its status, correlation id and outcome; the incident view names the rest. */
    static int answered(OpsCli root, JsonNode r) {
        if (root.json) {
            root.printJson(r);
            return 0;
        }
        PrintWriter out = root.out();
        out.printf("%s %s (correlation %s)%n", text(r, "type"), text(r, "status"), text(r, "correlationId"));
        JsonNode o = r.path("outcome");
        if (!o.isMissingNode() && !o.isNull()) {
            o.fields()
                    .forEachRemaining(f -> out.printf(
                            "  %-20s %s%n",
                            f.getKey(),
                            f.getValue().isValueNode()
                                    ? f.getValue().asText()
                                    : f.getValue().toString()));
        }
        out.printf("the whole story: bin/pgops incident show %s%n", text(r, "correlationId"));
        out.flush();
        return 0;
    }

    @Command(
            name = "switchover",
            mixinStandardHelpOptions = true,
            description = "hand the primary over to a caught-up standby (operator)")
    static final class Switchover implements Callable<Integer> {
        @ParentCommand
        OpsCli root;

        @Parameters(index = "0", description = "cluster id")
        String cluster;

        @Option(names = "--to", description = "the standby to promote (default: the coordinator's choice)")
        String to;

        @Option(names = "--reason", required = true, description = "why, in words (it travels in the events)")
        String reason;

        @Option(
                names = "--wait",
                defaultValue = "60",
                description = "seconds to wait for the outcome (0: return once accepted)")
        int wait;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("target", to);
            body.put("reason", reason);
            return answered(
                    root,
                    root.api()
                            .post(
                                    "replication",
                                    "/clusters/" + enc(cluster) + "/switchover?wait=" + wait,
                                    Tokens.OPERATOR,
                                    body,
                                    Duration.ofSeconds(wait + 15L)));
        }
    }

    @Command(
            name = "promote",
            mixinStandardHelpOptions = true,
            description = "promote a named node (operator; --force needs an admin)")
    static final class Promote implements Callable<Integer> {
        @ParentCommand
        OpsCli root;

        @Parameters(index = "0", description = "cluster id")
        String cluster;

        @Option(names = "--node", required = true, description = "the node to promote")
        String node;

        @Option(names = "--reason", required = true, description = "why, in words")
        String reason;

        @Option(names = "--force", description = "promote even where the rules refuse (admin)")
        boolean force;

        @Option(names = "--wait", defaultValue = "60", description = "seconds to wait for the outcome")
        int wait;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("node", node);
            body.put("reason", reason);
            body.put("force", force);
            return answered(
                    root,
                    root.api()
                            .post(
                                    "replication",
                                    "/clusters/" + enc(cluster) + "/promote?wait=" + wait,
                                    force ? Tokens.ADMIN : Tokens.OPERATOR,
                                    body,
                                    Duration.ofSeconds(wait + 15L)));
        }
    }

    @Command(
            name = "backup",
            mixinStandardHelpOptions = true,
            description =
                    "backups through the backup-service (the engine without services: bin/pgops backup take|list|verify|restore)",
            subcommands = {Backup.Now.class})
    static final class Backup {
        @ParentCommand
        OpsCli root;

        @Command(name = "now", mixinStandardHelpOptions = true, description = "take a full backup now (operator)")
        static final class Now implements Callable<Integer> {
            @ParentCommand
            Backup parent;

            @Parameters(index = "0", description = "cluster id")
            String cluster;

            @Option(names = "--reason", required = true, description = "why, in words")
            String reason;

            @Option(names = "--node", description = "the node to back up (default: a standby)")
            String node;

            @Override
            public Integer call() {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("reason", reason);
                body.put("node", node);
                JsonNode r = parent.root
                        .api()
                        .post(
                                "backup",
                                "/clusters/" + enc(cluster) + "/backups",
                                Tokens.OPERATOR,
                                body,
                                Duration.ofSeconds(30));
                if (parent.root.json) {
                    parent.root.printJson(r);
                } else {
                    parent.root
                            .out()
                            .printf(
                                    "backup %s of %s from %s accepted (correlation %s)%n",
                                    text(r, "backupId"), cluster, text(r, "node"), text(r, "correlationId"));
                    parent.root.out().flush();
                }
                return 0;
            }
        }
    }

    @Command(
            name = "maintenance",
            mixinStandardHelpOptions = true,
            description = "maintenance through the maintenance-service",
            subcommands = {Maintenance.Run.class})
    static final class Maintenance {
        @ParentCommand
        OpsCli root;

        @Command(
                name = "run",
                mixinStandardHelpOptions = true,
                description =
                        "run maintenance now: the given tasks, or what the vacuum and index reports advise (operator)")
        static final class Run implements Callable<Integer> {
            @ParentCommand
            Maintenance parent;

            @Parameters(index = "0", description = "cluster id")
            String cluster;

            @Option(names = "--reason", required = true, description = "why, in words")
            String reason;

            @Option(names = "--task", description = "TASK=TARGET, e.g. vacuum=public.orders (repeatable)")
            List<String> tasks;

            @Option(names = "--window-minutes", description = "how long tasks may be started")
            Integer window;

            @Override
            public Integer call() {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("reason", reason);
                if (tasks != null) {
                    body.put(
                            "tasks",
                            tasks.stream()
                                    .map(t -> {
                                        String[] kv = t.split("=", 2);
                                        if (kv.length != 2) {
                                            throw new CommandLine.ParameterException(
                                                    parent.root.spec.commandLine(), "--task must be TASK=TARGET: " + t);
                                        }
                                        return Map.of("task", kv[0], "target", kv[1]);
                                    })
                                    .toList());
                }
                body.put("windowMinutes", window);
                JsonNode r = parent.root
                        .api()
                        .post(
                                "maintenance",
                                "/clusters/" + enc(cluster) + "/maintenance",
                                Tokens.OPERATOR,
                                body,
                                Duration.ofSeconds(30));
                if (parent.root.json) {
                    parent.root.printJson(r);
                } else {
                    parent.root.out().println("maintenance accepted: " + r);
                    parent.root.out().flush();
                }
                return 0;
            }
        }
    }

    @Command(
            name = "audit",
            mixinStandardHelpOptions = true,
            description = "the audit trail",
            subcommands = {Audit.Tail.class})
    static final class Audit {
        @ParentCommand
        OpsCli root;

        @Command(
                name = "tail",
                mixinStandardHelpOptions = true,
                description = "the latest recorded events, oldest first")
        static final class Tail implements Callable<Integer> {
            @ParentCommand
            Audit parent;

            @Option(names = "--cluster", description = "only this cluster's")
            String cluster;

            @Option(
                    names = {"-n", "--limit"},
                    defaultValue = "20",
                    description = "how many")
            int limit;

            @Option(
                    names = {"-f", "--follow"},
                    description = "keep printing new events (Ctrl-C ends)")
            boolean follow;

            @Option(names = "--interval-ms", defaultValue = "1000", hidden = true)
            long intervalMs;

            @Override
            public Integer call() throws InterruptedException {
                Api api = parent.root.api();
                String query = "/audit/events?limit=" + limit + (cluster == null ? "" : "&cluster=" + enc(cluster));
                long last = print(api.get("audit", query, Tokens.VIEWER).path("items"), -1);
                while (follow) {
                    Thread.sleep(intervalMs); // polling a REST API: there is no event to wait on here
                    last = print(api.get("audit", query, Tokens.VIEWER).path("items"), last);
                }
                return 0;
            }

            /** Prints the events newer than {@code after} (the page is newest first); returns the newest seq. */
            private long print(JsonNode items, long after) {
                long newest = after;
                PrintWriter out = parent.root.out();
                for (int i = items.size() - 1; i >= 0; i--) {
                    JsonNode e = items.get(i);
                    long seq = e.path("seq").asLong();
                    if (seq <= after) {
                        continue;
                    }
                    newest = Math.max(newest, seq);
                    if (parent.root.json) {
                        out.println(e.toString());
                    } else {
                        out.printf(
                                "%8d  %s  %-48s %-10s %-8s %s%n",
                                seq,
                                text(e, "time"),
                                text(e, "type"),
                                text(e, "cluster"),
                                text(e, "node") == null ? "-" : text(e, "node"),
                                text(e, "principal") == null ? "" : "by " + text(e, "principal"));
                    }
                }
                out.flush();
                return newest;
            }
        }
    }

    @Command(
            name = "incident",
            mixinStandardHelpOptions = true,
            description = "incidents from the audit trail",
            subcommands = {IncidentCmd.Show.class})
    static final class IncidentCmd {
        @ParentCommand
        OpsCli root;

        @Command(
                name = "show",
                mixinStandardHelpOptions = true,
                description = "one flow, step by step, by its correlation id")
        static final class Show implements Callable<Integer> {
            @ParentCommand
            IncidentCmd parent;

            @Parameters(index = "0", description = "correlation id (commands print it)")
            String correlationId;

            @Override
            public Integer call() {
                JsonNode i = parent.root.api().get("audit", "/audit/incidents/" + enc(correlationId), Tokens.VIEWER);
                if (parent.root.json) {
                    parent.root.printJson(i);
                    return 0;
                }
                PrintWriter out = parent.root.out();
                out.printf(
                        "incident %s of %s: %s → %s (%d ms)%n",
                        text(i, "correlationId"),
                        text(i, "cluster"),
                        text(i, "startedAt"),
                        text(i, "endedAt"),
                        i.path("durationMillis").asLong());
                Table t = new Table("+MS", "TYPE", "NODE", "BY", "SOURCE");
                for (JsonNode s : i.path("steps")) {
                    JsonNode f = s.path("fact");
                    t.row(
                            s.path("sinceStartMillis").asLong(),
                            text(f, "type"),
                            text(f, "node"),
                            text(f, "principal"),
                            text(f, "source"));
                }
                t.print(out);
                return 0;
            }
        }
    }

    @Command(
            name = "completion",
            mixinStandardHelpOptions = true,
            description = "a bash completion script: source <(bin/pgops completion)")
    static final class Completion implements Callable<Integer> {
        @ParentCommand
        OpsCli root;

        @Override
        public Integer call() {
            root.out().print(picocli.AutoComplete.bash("pgops", root.spec.commandLine()));
            root.out().flush();
            return 0;
        }
    }
}
