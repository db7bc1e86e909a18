package io.pgops.backup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackupCliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new BackupCli(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        Map.of())
                .run(List.of(args));
    }

    @Test
    void aPasswordOnTheCommandLineIsRefused() {
        assertEquals(
                2, run("take", "--host", "h", "--port", "5432", "--user", "u", "--repo", "/x", "--password=s3cret"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("never taken on the command line"));
        assertTrue(!err.toString(StandardCharsets.UTF_8).contains("s3cret"));
    }

    @Test
    void missingOptionsAreUsageErrors() {
        assertEquals(2, run("take", "--host", "h"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--port is required"));
        assertEquals(2, run("frobnicate"));
    }

    @Test
    void optionsTakeTheirValueAfterASpaceOrAnEqualsSign() {
        assertEquals(
                Map.of("repo", "/r", "compress", "lz4", "drill", "true"),
                BackupCli.options(List.of("--repo=/r", "--compress", "lz4", "--drill")));
    }
}
