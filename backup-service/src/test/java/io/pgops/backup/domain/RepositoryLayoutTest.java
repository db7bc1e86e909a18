package io.pgops.backup.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.model.ClusterId;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RepositoryLayoutTest {
    private static final Path ROOT = Path.of("/var/backups/pgops");

    @Test
    void backupsLiveUnderClusterAndIdAndAreWrittenUnderAPartialName() {
        RepositoryLayout l = new RepositoryLayout(ROOT);
        BackupId id = BackupId.of("20261206T041500123Z-node2");
        assertEquals(Path.of("/var/backups/pgops/main/20261206T041500123Z-node2"), l.backup(ClusterId.of("main"), id));
        assertEquals(
                Path.of("/var/backups/pgops/main/.partial-20261206T041500123Z-node2"),
                l.partial(ClusterId.of("main"), id));
    }

    @Test
    void aRepositoryInsideTheRootIsAccepted() {
        assertEquals(
                Path.of("/var/backups/pgops/offsite"),
                RepositoryLayout.within(ROOT, "offsite").root());
        assertEquals(ROOT, RepositoryLayout.within(ROOT, null).root());
    }

    @Test
    void aRepositoryOutsideTheRootIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> RepositoryLayout.within(ROOT, "../elsewhere"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> RepositoryLayout.within(ROOT, "/etc"));
        assertTrue(e.getMessage().contains("outside the configured repository root"));
        assertThrows(IllegalArgumentException.class, () -> RepositoryLayout.within(ROOT, "a/../../pgops-other"));
    }

    @Test
    void partialDirectoriesAreNeverListedAsBackups() {
        assertTrue(RepositoryLayout.isBackupDirectory("20261206T041500123Z-node2"));
        assertFalse(RepositoryLayout.isBackupDirectory(".partial-20261206T041500123Z-node2"));
        assertFalse(RepositoryLayout.isBackupDirectory(".scratch"));
    }
}
