package io.pgops.replication.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.model.NodeName;
import io.pgops.replication.domain.SyncStandbys.Standby;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyncStandbysTest {
    static Standby s(String name, boolean streaming, boolean sync, long lag, boolean nosync) {
        return new Standby(NodeName.of(name), streaming, sync, lag, nosync);
    }

    @Test
    void theCurrentSyncStandbyKeepsItsRoleEvenWhenAnotherIsCloser() {
        SyncStandbys.Choice c =
                SyncStandbys.choose(List.of(s("node3", true, false, 0, false), s("node2", true, true, 4096, false)), 1);
        assertEquals("FIRST 1 (\"node2\")", c.value(), "only the synchronous one is named");
        assertEquals(List.of(NodeName.of("node2")), c.synchronous());
    }

    @Test
    void aNosyncStandbyIsNeverNamed() {
        SyncStandbys.Choice c =
                SyncStandbys.choose(List.of(s("node2", true, false, 0, true), s("node3", true, false, 10, false)), 1);
        assertEquals("FIRST 1 (\"node3\")", c.value());
    }

    @Test
    void aStandbyThatIsNotStreamingIsNotNamedSoNoCommitWaitsForIt() {
        SyncStandbys.Choice c =
                SyncStandbys.choose(List.of(s("node2", false, true, 0, false), s("node3", true, false, 10, false)), 1);
        assertEquals(List.of(NodeName.of("node3")), c.synchronous());
    }

    @Test
    void withNoEligibleStandbyCommitsAreLocalRatherThanHeldHostage() {
        SyncStandbys.Choice c = SyncStandbys.choose(List.of(s("node2", false, false, 0, false)), 1);
        assertEquals("", c.value());
        assertTrue(c.reason().contains("local only"), c.reason());
    }

    @Test
    void aCountLargerThanTheStreamingStandbysNamesThemAllAndSaysSo() {
        SyncStandbys.Choice c = SyncStandbys.choose(List.of(s("node2", true, true, 0, false)), 2);
        assertEquals("FIRST 1 (\"node2\")", c.value());
        assertTrue(c.reason().contains("only 1 of 2"), c.reason());
    }

    @Test
    void aCountBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SyncStandbys.choose(List.of(), 0));
    }
}
