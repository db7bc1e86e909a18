package io.pgops.pgtools;

import java.util.ArrayList;
import java.util.List;

/**
 * Who runs PostgreSQL. PostgreSQL refuses to run as root, so when we are root its tools run as the
 * unprivileged {@code postgres} account (override with {@code PGOPS_PG_OS_USER}) through runuser;
 * otherwise they run as ourselves.
 */
public record OsUser(String name, boolean switchNeeded) {

    public static OsUser current() {
        return new OsUser(System.getProperty("user.name"), false);
    }

    /** The account PostgreSQL's tools run as. */
    public static OsUser forPostgres() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return current();
        }
        String name = System.getenv().getOrDefault("PGOPS_PG_OS_USER", "postgres");
        if (Cmd.of("id", "-u", name).tryRun().exitCode() != 0) {
            throw new IllegalStateException("running as root, PostgreSQL needs an unprivileged account and '"
                    + name + "' does not exist: run `useradd --system --create-home " + name
                    + "` (or set PGOPS_PG_OS_USER)");
        }
        return new OsUser(name, true);
    }

    List<String> wrap(List<String> argv) {
        if (!switchNeeded) {
            return argv;
        }
        List<String> out = new ArrayList<>(List.of("runuser", "-u", name, "--"));
        out.addAll(argv);
        return out;
    }

    /** Hands a directory (recursively) to this user, so its tools can write there. */
    public void own(java.nio.file.Path dir) {
        if (switchNeeded) {
            Cmd.of("chown", "-R", name + ":", dir.toString()).run();
        }
    }
}
