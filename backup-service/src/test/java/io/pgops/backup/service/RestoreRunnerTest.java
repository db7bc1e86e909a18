package io.pgops.backup.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pgops.events.model.Lsn;
import io.pgops.events.model.Timeline;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestoreRunnerTest {
    @Test
    void recoveryEndedWhereTheNewTimelinesHistoryFileSaysItBranchedOff(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("pg_wal"));
        Files.writeString(
                dir.resolve("pg_wal/00000003.history"),
                "1\t0/6000A38\tno recovery target specified\n\n2\t0/9000198\tno recovery target specified\n");
        assertEquals(Lsn.parse("0/9000198"), RestoreRunner.recoveryEnd(dir, Timeline.of(3)));
    }

    @Test
    void saysSoWhenTheHistoryFileIsMissing(@TempDir Path dir) {
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> RestoreRunner.recoveryEnd(dir, Timeline.of(2)));
        assertEquals(true, e.getMessage().contains("00000002.history"), e.getMessage());
    }
}
