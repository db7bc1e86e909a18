package io.pgops.stack.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Long-running processes: start detached with a log file, check, and stop by pid. */
public final class Daemons {
    private Daemons() {}

    /**
     * Starts {@code argv} in its own session (so it outlives the launcher and a terminal's Ctrl-C),
     * output appended to {@code log}. Returns the pid.
     */
    public static long startDetached(List<String> argv, Path log, Path workDir) {
        List<String> cmd = new ArrayList<>();
        cmd.add("setsid");
        cmd.addAll(argv);
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .directory(workDir.toFile());
            Process p = pb.start();
            p.getOutputStream().close();
            return p.pid();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + argv.getFirst() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Like {@link #startDetached}, under a supervisor that starts {@code argv} again 1 s after it exits
     * for any reason (kill -9 included), as systemd's {@code Restart=always} would; SIGTERM to the returned
     * pid (the supervisor) stops the child and then the supervisor.
     */
    public static long startSupervised(List<String> argv, Path log, Path workDir) {
        List<String> cmd = new ArrayList<>(List.of(
                "sh",
                "-c",
                "trap 'kill -TERM \"$child\" 2>/dev/null; wait \"$child\"; exit 0' TERM INT;"
                        + " while :; do \"$@\" & child=$!; wait \"$child\"; rc=$?;"
                        + " echo \"$(date -u +%Y-%m-%dT%H:%M:%SZ) pgops supervisor: exited with $rc;"
                        + " starting it again in 1 s\"; sleep 1; done",
                "pgops-supervisor"));
        cmd.addAll(argv);
        return startDetached(cmd, log, workDir);
    }

    /** Starts {@code argv} as a child of this JVM (tests): it dies with the JVM through the watchdog. */
    public static Process startChild(List<String> argv, Path log, Path workDir) {
        try {
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .directory(workDir.toFile())
                    .start();
            p.getOutputStream().close();
            return p;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + argv.getFirst() + ": " + e.getMessage(), e);
        }
    }

    /** True when {@code pid} is alive and its command line mentions {@code marker} (guards pid reuse). */
    public static boolean isOurs(long pid, String marker) {
        return cmdline(pid).map(c -> c.contains(marker)).orElse(false);
    }

    public static Optional<String> cmdline(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return Optional.of(new String(raw, StandardCharsets.UTF_8).replace('\0', ' '));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The last {@code lines} lines of a log file, for error messages. */
    public static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, wait up to {@code grace}, then SIGKILL. Returns once the process is gone. */
    public static void stop(long pid, Duration grace) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty()) {
            return;
        }
        if (cmdline(pid).map(c -> c.startsWith("runuser ")).orElse(false)) {
            // runuser answers SIGTERM by signalling its child and then sleeping 2 s before it kills it:
            // the child is told directly, and runuser exits as soon as the child has
            h.get().children().forEach(ProcessHandle::destroy);
        } else {
            h.get().destroy();
        }
        Instant deadline = Instant.now().plus(grace);
        while (h.get().isAlive() && Instant.now().isBefore(deadline)) {
            pause(100);
        }
        if (h.get().isAlive()) {
            // a supervisor that did not stop its child in time: the child goes too
            h.get().descendants().forEach(ProcessHandle::destroyForcibly);
            h.get().destroyForcibly();
            Instant hard = Instant.now().plusSeconds(5);
            while (h.get().isAlive() && Instant.now().isBefore(hard)) {
                pause(50);
            }
        }
    }

    /** Polling interval for waits on external processes, which offer no event to wait on. */
    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
