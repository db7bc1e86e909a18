package io.pgops.stack.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgops.stack.StackLayout;
import io.pgops.stack.auth.Tokens;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The on-call verbs of {@code bin/pgops}: they call the services' REST APIs with a bearer token, print tables
 * for people and {@code --json} for scripts, and exit non-zero with the server's problem message when a call
 * is refused. The token is {@code --token}, else {@code PGOPS_TOKEN}, else (beside a local stack) one minted
 * with the stack's key for the role the verb needs. Services on HTTPS ({@code PGOPS_<SERVICE>_URL=https://…}) are
 * verified with the JVM's trust store, or with the CA in {@code PGOPS_CA_FILE} alone.
 */
@Command(
        name = "pgops",
        mixinStandardHelpOptions = true,
        description =
                "pgops for the people on call (the local stack's verbs up|status|stop|test|token|backup stay in bin/pgops)",
        subcommands = {
            ClusterVerbs.Clusters.class,
            ClusterVerbs.Topology.class,
            ClusterVerbs.Switchover.class,
            ClusterVerbs.Promote.class,
            ServiceVerbs.Backup.class,
            ServiceVerbs.Maintenance.class,
            AuditVerbs.Audit.class,
            AuditVerbs.IncidentCmd.class,
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
        return new Api(
                new Endpoints(env, layout),
                role -> {
                    if (given != null && !given.isBlank()) {
                        return given;
                    }
                    try {
                        return Tokens.in(layout.secretsDir()).mint("pgops-cli", List.of(role), Duration.ofMinutes(10));
                    } catch (RuntimeException e) {
                        throw new Api.Failure(-1, "no token: pass --token or set PGOPS_TOKEN (" + e.getMessage() + ")");
                    }
                },
                env.get("PGOPS_CA_FILE"));
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

    /** The server's JSON with {@code --json}, else what {@code human} prints for people. */
    void print(JsonNode answer, java.util.function.Consumer<PrintWriter> human) {
        if (json) {
            printJson(answer);
        } else {
            human.accept(out());
            out().flush();
        }
    }

    /** Each field of {@code n} as {@code format} (name, value); a nested value as its JSON. */
    static void fields(PrintWriter out, JsonNode n, String format) {
        n.fields()
                .forEachRemaining(f -> out.printf(
                        format,
                        f.getKey(),
                        f.getValue().isValueNode()
                                ? f.getValue().asText()
                                : f.getValue().toString()));
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
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
