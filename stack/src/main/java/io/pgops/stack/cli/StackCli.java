package io.pgops.stack.cli;

import io.pgops.stack.Stack;
import io.pgops.stack.StackLayout;
import io.pgops.stack.StackState;
import io.pgops.stack.StackStatus;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code bin/pgops up|status [--json]|stop}: the local stack's launcher. Errors are one clear line
 * (what is wrong and what to run), never a stack trace.
 */
public final class StackCli {
    private StackCli() {}

    public static void main(String[] args) {
        Path repo =
                Path.of(System.getProperty("pgops.repo", ".")).toAbsolutePath().normalize();
        StackLayout layout = StackLayout.fromEnvironment(repo);
        String verb = args.length == 0 ? "status" : args[0];
        try {
            switch (verb) {
                case "up" -> {
                    System.out.println("pgops: starting the local stack (data: " + layout.dataDir() + ")");
                    Stack stack = new Stack(layout, System.out);
                    stack.up(!List.of(args).contains("--no-services"));
                    System.out.print(StackStatus.table(StackStatus.rows(layout, stack.state())));
                }
                case "status" -> {
                    StackState state = StackState.read(layout.stateFile()).orElse(new StackState(List.of()));
                    List<StackStatus.Row> rows = StackStatus.rows(layout, state);
                    if (List.of(args).contains("--json")) {
                        System.out.println(StackStatus.json(rows));
                    } else if (rows.isEmpty()) {
                        System.out.println(
                                "pgops: nothing started yet in " + layout.dataDir() + " (run: bin/pgops up)");
                    } else {
                        System.out.print(StackStatus.table(rows));
                    }
                }
                case "stop" -> new Stack(layout, System.out).stop();
                default -> {
                    System.err.println("usage: bin/pgops up [--no-services] | status [--json] | stop | test");
                    System.exit(2);
                }
            }
        } catch (IllegalStateException | io.pgops.pgtools.CommandFailedException e) {
            System.err.println("pgops: " + e.getMessage());
            System.exit(1);
        }
    }
}
