package io.pgops.pgtools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where PostgreSQL's server tools are: {@code PGOPS_PG_BIN} (or system property {@code pgops.pg.bin})
 * when set, else the newest {@code /usr/lib/postgresql/<major>/bin} (Debian's layout). Never a
 * hard-coded major: Debian 12 ships 15, Debian 13 ships 17.
 */
public record PgBinaries(Path dir) {

    public static PgBinaries locate() {
        return find().orElseThrow(() -> new IllegalStateException(
                "PostgreSQL server tools (initdb, pg_ctl) not found: run `apt-get install -y postgresql`"
                        + " as root, or set PGOPS_PG_BIN to the directory that holds initdb"));
    }

    public static Optional<PgBinaries> find() {
        String configured = System.getProperty("pgops.pg.bin", System.getenv("PGOPS_PG_BIN"));
        if (configured != null && !configured.isBlank()) {
            return Optional.of(new PgBinaries(Path.of(configured))).filter(PgBinaries::complete);
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> majors = Files.list(root)) {
            return majors.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .sorted(Comparator.comparingInt(
                                    (Path p) -> Integer.parseInt(p.getFileName().toString()))
                            .reversed())
                    .map(p -> new PgBinaries(p.resolve("bin")))
                    .filter(PgBinaries::complete)
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private boolean complete() {
        return Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl"));
    }

    public String tool(String name) {
        return dir.resolve(name).toString();
    }

    /** The server's major version, e.g. 15. */
    public int major() {
        return Integer.parseInt(dir.getParent().getFileName().toString().replaceAll("\\D", ""));
    }
}
