package io.pgops.stack.cli;

import io.pgops.stack.Stack;
import io.pgops.stack.StackLayout;
import io.pgops.stack.StackState;
import io.pgops.stack.StackStatus;
import io.pgops.stack.auth.Tokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code bin/pgops up|status [--json]|stop}: the local stack's launcher. Errors are one clear line
 * (what is wrong and what to run), never a stack trace.
 */
public final class StackCli {
    private StackCli() {}

    /**
     * {@code token --role R [--cluster ID] [--ttl 1h] [--principal name]}: a token signed with the stack's key (made
     * on first use in its secrets directory), for {@code Authorization: Bearer}; with {@code --cluster} the role holds
     * on that cluster's endpoints only ({@code pgops-operator:ID}, the service-kit's {@code ClusterRoles}).
     */
    static String token(StackLayout layout, List<String> args) {
        String role = null;
        Duration ttl = Duration.ofHours(1);
        String principal = null;
        String cluster = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String value = i + 1 < args.size() ? args.get(i + 1) : null;
            switch (a) {
                case "--role" -> role = value;
                case "--ttl" -> ttl = ttl(value);
                case "--principal" -> principal = value;
                case "--cluster" -> cluster = value;
                default -> throw new IllegalArgumentException("token: unknown argument " + a);
            }
            i++;
        }
        if (role == null || !Tokens.ROLES.contains(role)) {
            throw new IllegalArgumentException("token: --role must be one of " + String.join(", ", Tokens.ROLES));
        }
        if (cluster != null) {
            if (!cluster.matches(io.pgops.events.model.ClusterId.PATTERN)) {
                throw new IllegalArgumentException(
                        "token: --cluster must be a cluster id (" + io.pgops.events.model.ClusterId.PATTERN + ")");
            }
            if (principal == null) {
                principal = role + "." + cluster + "@local";
            }
            role = role + ":" + cluster;
        }
        Tokens tokens = Tokens.in(layout.secretsDir());
        return principal == null ? tokens.forRole(role, ttl) : tokens.mint(principal, List.of(role), ttl);
    }

    /** {@code 90s}, {@code 15m}, {@code 8h}, {@code 2d}, or an ISO-8601 duration. */
    static Duration ttl(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("token: --ttl needs a value such as 15m or 8h");
        }
        try {
            if (text.matches("[0-9]+[smhd]")) {
                long n = Long.parseLong(text.substring(0, text.length() - 1));
                return switch (text.charAt(text.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            return Duration.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("token: --ttl " + text + " is not a duration such as 15m or 8h");
        }
    }

    /**
     * {@code token-key}: the key set the services verify people's tokens with. {@code rotate} makes a new signing key
     * and keeps the old one in the set; {@code retire} removes the rotated ones. The services read the set when they
     * start, so each change ends with how to restart them.
     */
    static String tokenKey(StackLayout layout, String action) {
        java.nio.file.Path dir = layout.secretsDir();
        String restart = "the services read the key set (" + dir.resolve("jwt-verify.jwks.json")
                + ") when they start: restart them (bin/pgops stop && bin/pgops up)\n";
        return switch (action) {
            case "list" -> {
                List<String> ids = Tokens.in(dir).keyIds();
                StringBuilder b = new StringBuilder("signing key: " + ids.getFirst() + "\n");
                ids.subList(1, ids.size())
                        .forEach(id ->
                                b.append("rotated, still accepted: ").append(id).append('\n'));
                yield b.toString();
            }
            case "rotate" -> {
                String old = Tokens.in(dir).keyId();
                String now = Tokens.rotate(dir).keyId();
                yield "new signing key " + now + "; " + old + " stays in the key set, so the tokens it signed are"
                        + " accepted until `bin/pgops token-key retire`\n" + restart;
            }
            case "retire" -> {
                List<String> gone = Tokens.retire(dir);
                yield (gone.isEmpty()
                                ? "no rotated key to retire\n"
                                : "removed from the key set: " + String.join(", ", gone)
                                        + " (tokens they signed are refused once the services restart)\n")
                        + (gone.isEmpty() ? "" : restart);
            }
            default -> throw new IllegalArgumentException("token-key: list, rotate or retire, not " + action);
        };
    }

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
                    System.out.print(Calls.howTo(layout, stack.state()));
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
                        System.out.print(Calls.howTo(layout, state));
                    }
                }
                case "token" -> System.out.println(token(layout, List.of(args).subList(1, args.length)));
                case "token-key" -> System.out.print(tokenKey(layout, args.length > 1 ? args[1] : "list"));
                case "stop" -> new Stack(layout, System.out).stop();
                default -> {
                    System.err.println("usage: bin/pgops up [--no-services] | status [--json] | stop | test"
                            + " | token --role pgops-viewer|pgops-operator|pgops-admin [--ttl 1h] [--principal name]"
                            + " | token-key [list|rotate|retire]");
                    System.exit(2);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("pgops: " + e.getMessage());
            System.exit(2);
        } catch (IllegalStateException | io.pgops.pgtools.CommandFailedException e) {
            System.err.println("pgops: " + e.getMessage());
            System.exit(1);
        }
    }
}
