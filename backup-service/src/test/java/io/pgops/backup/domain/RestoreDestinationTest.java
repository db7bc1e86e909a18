package io.pgops.backup.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RestoreDestinationTest {
    private static final Path ROOT = Path.of("/var/lib/pgops/restores");
    private static final RestoreDestination.Found NOTHING =
            new RestoreDestination.Found(false, false, false, Optional.empty());

    private static Optional<RestoreDestination.Refusal> check(String dir, RestoreDestination.Found f) {
        return RestoreDestination.check(ROOT, Path.of(dir), f, pid -> pid == 4242);
    }

    @Test
    void acceptsANewDirectoryInsideTheRoot() {
        assertEquals(Optional.empty(), check("/var/lib/pgops/restores/orders", NOTHING));
        assertEquals(
                Optional.empty(),
                check(
                        "/var/lib/pgops/restores/orders",
                        new RestoreDestination.Found(true, true, true, Optional.empty())));
    }

    @Test
    void refusesTheDataDirectoryOfARunningPostmaster() {
        var r = check(
                "/var/lib/pgops/restores/node1", new RestoreDestination.Found(true, true, false, Optional.of("4242")));
        assertEquals(409, r.orElseThrow().status());
        assertTrue(
                r.get().reason().contains("postmaster pid 4242 is alive"),
                r.get().reason());
    }

    @Test
    void refusesADirectoryWithTheStalePidFileOfAStoppedServer() {
        var r = check(
                "/var/lib/pgops/restores/node1", new RestoreDestination.Found(true, true, false, Optional.of("17")));
        assertTrue(r.orElseThrow().reason().contains("stopped server"), r.get().reason());
    }

    @Test
    void refusesAPathOutsideTheRootOrTheRootItself() {
        assertEquals(
                422, check("/var/lib/postgresql/15/main", NOTHING).orElseThrow().status());
        assertEquals(
                422,
                check("/var/lib/pgops/restores/../../postgresql", NOTHING)
                        .orElseThrow()
                        .status());
        assertEquals(
                422, check("/var/lib/pgops/restores", NOTHING).orElseThrow().status());
        assertEquals(422, check("relative/dir", NOTHING).orElseThrow().status());
    }

    @Test
    void refusesANonEmptyDirectoryAndAFile() {
        assertEquals(
                409,
                check("/var/lib/pgops/restores/x", new RestoreDestination.Found(true, true, false, Optional.empty()))
                        .orElseThrow()
                        .status());
        assertTrue(
                check("/var/lib/pgops/restores/x", new RestoreDestination.Found(true, false, false, Optional.empty()))
                        .orElseThrow()
                        .reason()
                        .contains("is a file"));
    }
}
