package io.pgops.stack.ops;

import static io.pgops.stack.ops.OpsCli.enc;
import static io.pgops.stack.ops.OpsCli.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgops.stack.auth.Tokens;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** The on-call verbs answered by the replication-service: clusters, topology, switchover, promote. */
final class ClusterVerbs {
    private ClusterVerbs() {}

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
                Table i = new Table("CORRELATION", "STARTED", "STATE", "STEPS", "LAST");
                for (JsonNode inc : one.path("incidents")) {
                    JsonNode steps = inc.path("steps");
                    i.row(
                            text(inc, "correlationId"),
                            text(inc, "startedAt"),
                            inc.path("open").asBoolean() ? "open (" + text(inc, "waitingFor") + ")" : "closed",
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
            root.print(t, out -> OpsCli.fields(out, t, "%-22s %s%n"));
            return 0;
        }
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
            OpsCli.fields(out, o, "  %-20s %s%n");
        }
        out.printf("the whole story: bin/pgops incident show %s%n", text(r, "correlationId"));
        out.flush();
        return 0;
    }
}
