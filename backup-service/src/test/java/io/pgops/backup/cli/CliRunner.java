package io.pgops.backup.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Runs {@code bin/pgops backup …} in this JVM for tests of other packages: exit code, stdout, stderr. */
public final class CliRunner {
    private CliRunner() {}

    public record Run(int exitCode, String out, String err) {
        /** The last line on stdout: the command's JSON. */
        public String lastLine() {
            List<String> lines = out.lines().toList();
            return lines.isEmpty() ? "" : lines.getLast();
        }
    }

    public static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new BackupCli(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        env)
                .run(List.of(args));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
