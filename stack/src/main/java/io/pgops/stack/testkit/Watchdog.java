package io.pgops.stack.testkit;

import io.pgops.pgtools.OsUser;
import io.pgops.pgtools.PgBinaries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A small shell process, in its own session, that waits for the test JVM to end and then stops
 * every PostgreSQL under the test directory and every child process listed in its pid file, and
 * removes the directory. A shutdown hook normally does this first; the watchdog covers a JVM killed
 * by SIGKILL (a surefire timeout).
 */
final class Watchdog {
    static final String PIDS = "children.pids";

    private Watchdog() {}

    static void guard(Path dir, OsUser pgUser, PgBinaries bin) {
        String asPg = pgUser.switchNeeded() ? "runuser -u " + pgUser.name() + " -- " : "";
        String script = String.join(
                "\n",
                "jvm=" + ProcessHandle.current().pid(),
                "while kill -0 \"$jvm\" 2>/dev/null; do sleep 1; done",
                "[ -f '" + dir + "/" + PIDS + "' ] && while read -r p; do kill -9 \"$p\" 2>/dev/null; done < '" + dir
                        + "/" + PIDS + "'",
                // PgBouncer runs under runuser: its own pid file names the process to stop
                "[ -f '" + dir + "/routing/pgbouncer.pid' ] && kill -9 \"$(cat '" + dir
                        + "/routing/pgbouncer.pid')\" 2>/dev/null",
                "for d in '" + dir + "'/pg/*/; do",
                "  [ -f \"$d/postmaster.pid\" ] && " + asPg + "'" + bin.tool("pg_ctl") + "' -D \"$d\" -m immediate stop"
                        + " >/dev/null 2>&1",
                "done",
                "rm -rf '" + dir + "'",
                "");
        try {
            Path file = Files.createTempFile("pgops-watchdog-", ".sh");
            Files.writeString(file, script + "rm -f '" + file + "'\n");
            new ProcessBuilder(List.of("setsid", "bash", file.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the test watchdog", e);
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // the watchdog removes what is left
        }
    }
}
