package io.pgops.stack.ops;

import static io.pgops.stack.ops.OpsCli.enc;
import static io.pgops.stack.ops.OpsCli.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgops.stack.auth.Tokens;
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

/** The on-call verbs that start work in the backup-service and the maintenance-service. */
final class ServiceVerbs {
    private ServiceVerbs() {}

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
                parent.root.print(
                        r,
                        out -> out.printf(
                                "backup %s of %s from %s accepted (correlation %s)%n",
                                text(r, "backupId"), cluster, text(r, "node"), text(r, "correlationId")));
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
                parent.root.print(r, out -> out.println("maintenance accepted: " + r));
                return 0;
            }
        }
    }
}
