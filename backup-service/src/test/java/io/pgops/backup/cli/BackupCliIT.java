package io.pgops.backup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgops.backup.service.CatalogueJson;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.postgres.PgTopology;
import io.pgops.stack.testkit.TestStack;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code bin/pgops backup} on the real cluster: take (with a drill), list, verify; a stopped port fails. */
class BackupCliIT {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        out.reset();
        err.reset();
        return new BackupCli(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        env)
                .run(List.of(args));
    }

    private JsonNode lastLine() throws Exception {
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        return CatalogueJson.MAPPER.readTree(lines.getLast());
    }

    @Test
    void takeListAndVerifyPrintOneJsonLineWithTheFigures() throws Exception {
        TestStack stack = TestStack.get();
        PgNode primary = stack.cluster().getFirst();
        String repo = stack.dir().resolve("cli-repo").toString();
        Map<String, String> env = Map.of("PGPASSWORD", stack.secrets().password(PgTopology.REPLICATION_USER));

        int code = run(
                env,
                "take",
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(primary.port()),
                "--user",
                PgTopology.REPLICATION_USER,
                "--repo",
                repo,
                "--cluster",
                "cli",
                "--compress",
                "lz4",
                "--fast-checkpoint",
                "--drill");
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        JsonNode taken = lastLine();
        assertEquals("completed", taken.get("result").asText());
        assertEquals("lz4", taken.get("compression").asText());
        assertEquals("verified", taken.get("verification").asText());
        assertEquals("restore", taken.get("verificationMethod").asText());
        assertTrue(taken.get("storedBytes").asLong() < taken.get("rawBytes").asLong(), taken.toString());
        try (var stored = java.nio.file.Files.list(
                java.nio.file.Path.of(repo, "cli", taken.get("id").asText()))) {
            List<String> names =
                    stored.map(p -> p.getFileName().toString()).sorted().toList();
            assertTrue(
                    names.contains("pg_wal.tar.lz4") && !names.contains("pg_wal.tar"),
                    "the streamed WAL is compressed like the data, and the drill restored from it: " + names);
        }
        assertFalse(
                err.toString(StandardCharsets.UTF_8).contains(env.get("PGPASSWORD")), "the password is never printed");
        System.out.println("bin/pgops backup take: " + taken);

        assertEquals(0, run(Map.of(), "list", "--repo", repo));
        assertEquals(taken.get("id").asText(), lastLine().get("id").asText());

        assertEquals(0, run(Map.of(), "verify", "--repo", repo));
        assertEquals("verified", lastLine().get("result").asText());
    }

    @Test
    void aBackupOfANodeThatDoesNotListenExitsNonZeroWithTheToolsLines() throws Exception {
        String repo = TestStack.get().dir().resolve("cli-repo-failed").toString();
        int code = run(Map.of(), "take", "--host", "127.0.0.1", "--port", "1", "--user", "replicator", "--repo", repo);
        assertEquals(1, code);
        assertEquals("failed", lastLine().get("result").asText());
        String said = err.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("failed at start") && said.contains("psql"), said);
        assertEquals(0, run(Map.of(), "list", "--repo", repo));
        assertEquals("", out.toString(StandardCharsets.UTF_8).strip(), "nothing catalogued");
    }
}
