package io.pgops.backup.domain;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.LongPredicate;

/**
 * Whether a restore may write into a directory on the service's host. Pure: what the directory holds and which
 * processes live are passed in. Refused: a path outside the configured restore root, a directory where a live
 * postmaster runs (its {@code postmaster.pid} names a live process: a running node's data directory is never
 * written over), a stale {@code postmaster.pid} or any other content (restore into a new directory), a file.
 */
public final class RestoreDestination {
    private RestoreDestination() {}

    /** Why the restore may not write there; the HTTP answer's status says which kind. */
    public record Refusal(int status, String reason) {}

    /**
     * What lies at the directory.
     *
     * @param exists whether anything is there
     * @param directory whether it is a directory
     * @param empty whether the directory is empty
     * @param postmasterPid the first line of its {@code postmaster.pid}; empty when there is none
     */
    public record Found(boolean exists, boolean directory, boolean empty, Optional<String> postmasterPid) {}

    /**
     * @param root the configured restore root (absolute, normalised)
     * @param dir the directory asked for
     * @param found what lies there
     * @param alive whether a process id is a live process
     */
    public static Optional<Refusal> check(Path root, Path dir, Found found, LongPredicate alive) {
        if (!dir.isAbsolute()
                || !dir.normalize().startsWith(root)
                || dir.normalize().equals(root)) {
            return Optional.of(
                    new Refusal(422, "directory " + dir + " is not an absolute path inside the restore root " + root));
        }
        if (found.postmasterPid().isPresent()) {
            String line = found.postmasterPid().get().strip();
            if (line.matches("[0-9]{1,10}") && alive.test(Long.parseLong(line))) {
                return Optional.of(new Refusal(
                        409,
                        dir + " is the data directory of a running PostgreSQL (postmaster pid " + line
                                + " is alive): a restore never writes over a running node"));
            }
            return Optional.of(new Refusal(
                    409, dir + " holds a postmaster.pid of a stopped server: restore into a new directory"));
        }
        if (found.exists() && !found.directory()) {
            return Optional.of(new Refusal(409, dir + " is a file, not a directory"));
        }
        if (found.exists() && !found.empty()) {
            return Optional.of(new Refusal(409, dir + " is not empty: restore into a new directory"));
        }
        return Optional.empty();
    }
}
