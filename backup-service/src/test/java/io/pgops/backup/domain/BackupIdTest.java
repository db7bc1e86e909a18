package io.pgops.backup.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.model.NodeName;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackupIdTest {
    @Test
    void idNamesTheUtcStartToTheMillisecondAndTheNode() {
        BackupId id = BackupId.at(Instant.parse("2026-12-06T04:15:00.123Z"), NodeName.of("node2"));
        assertEquals("20261206T041500123Z-node2", id.value());
    }

    @Test
    void idsSortByStartTime() {
        BackupId a = BackupId.at(Instant.parse("2026-12-06T04:15:00.123Z"), NodeName.of("node9"));
        BackupId b = BackupId.at(Instant.parse("2026-12-06T04:15:00.124Z"), NodeName.of("node1"));
        assertTrue(a.compareTo(b) < 0);
    }

    @Test
    void anIdThatCouldLeaveItsDirectoryIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> BackupId.of("../../etc"));
        assertThrows(IllegalArgumentException.class, () -> BackupId.of("20261206T041500123Z-node2/.."));
    }
}
