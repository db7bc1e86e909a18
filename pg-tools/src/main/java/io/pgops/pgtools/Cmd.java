package io.pgops.pgtools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A command run to completion: argv, environment, optional OS user. Output is captured so a
 * failure can say what the tool said. Arguments are never passed through a shell.
 */
public final class Cmd {
    private final List<String> argv = new ArrayList<>();
    private final Map<String, String> env = new HashMap<>();
    private OsUser user = OsUser.current();
    private Path dir;
    private long timeoutSeconds = 120;
    private String input = "";

    private Cmd(List<String> argv) {
        this.argv.addAll(argv);
    }

    public static Cmd of(String... argv) {
        return new Cmd(List.of(argv));
    }

    public static Cmd of(List<String> argv) {
        return new Cmd(argv);
    }

    public Cmd as(OsUser user) {
        this.user = user;
        return this;
    }

    /** Every entry of {@code vars} in the command's environment. */
    public Cmd env(java.util.Map<String, String> vars) {
        env.putAll(vars);
        return this;
    }

    public Cmd env(String key, String value) {
        env.put(key, value);
        return this;
    }

    public Cmd in(Path dir) {
        this.dir = dir;
        return this;
    }

    /** Text fed to the command's standard input. */
    public Cmd input(String text) {
        this.input = text;
        return this;
    }

    public Cmd timeoutSeconds(long seconds) {
        this.timeoutSeconds = seconds;
        return this;
    }

    /** The argv as executed, with the switch of user in front where one is needed. */
    List<String> commandLine() {
        return user.wrap(argv);
    }

    /** Runs and returns stdout; throws with the tool's own output when it fails. */
    public String run() {
        Result r = tryRun();
        if (r.exitCode() != 0) {
            throw new CommandFailedException(String.join(" ", argv), r.exitCode(), r.output());
        }
        return r.output();
    }

    /**
     * Starts a long-running command (a WAL receiver, a server in the foreground) and returns at once: its output
     * and errors are appended to {@code log}, its standard input is closed. The caller owns the process.
     */
    public Process start(Path log) {
        ProcessBuilder pb = new ProcessBuilder(commandLine())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            return p;
        } catch (IOException e) {
            throw new CommandFailedException(String.join(" ", argv), -1, e.getMessage());
        }
    }

    public Result tryRun() {
        ProcessBuilder pb = new ProcessBuilder(commandLine()).redirectErrorStream(true);
        pb.environment().putAll(env);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        try {
            Process p = pb.start();
            try (var stdin = p.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new CommandFailedException(
                        String.join(" ", argv), -1, "timed out after " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CommandFailedException(String.join(" ", argv), -1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailedException(String.join(" ", argv), -1, "interrupted");
        }
    }

    public record Result(int exitCode, String output) {}
}
