package io.pgops.stack.ops;

import static io.pgops.stack.ops.OpsCli.enc;
import static io.pgops.stack.ops.OpsCli.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgops.stack.auth.Tokens;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** The on-call verbs that read the audit trail: audit tail, incident show. */
final class AuditVerbs {
    private AuditVerbs() {}

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
}
