package io.pgops.backup.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ToolOutputTest {
    @Test
    void keepsTheLastNonBlankLines() {
        assertEquals("c\nd", ToolOutput.lastLines("a\nb\n\nc\n  d  \n\n", 2));
        assertEquals("", ToolOutput.lastLines(null, 3));
    }

    @Test
    void verificationNamesTheFileWithTheChecksumMismatch() {
        String out = """
                pg_verifybackup: error: checksum mismatch for file "base/5/16384"
                pg_verifybackup: error: "global/pg_control" has size 8192 on disk but size 8193 in the manifest
                """;
        assertEquals(List.of("base/5/16384", "global/pg_control"), ToolOutput.badFiles(out));
        assertEquals(
                "pg_verifybackup: error: checksum mismatch for file \"base/5/16384\"", ToolOutput.errorLines(out, 1));
    }

    @Test
    void verificationNamesAFilePresentOnDiskButNotInTheManifest() {
        assertEquals(
                List.of("base/5/99999"),
                ToolOutput.badFiles(
                        "pg_verifybackup: error: \"base/5/99999\" is present on disk but not in the" + " manifest\n"));
    }

    @Test
    void progressLinesNameNoFile() {
        assertEquals(List.of(), ToolOutput.badFiles("backup successfully verified\n"));
    }
}
