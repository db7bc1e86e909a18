package io.pgops.backup.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.model.NodeName;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SourceChoiceTest {
    private static final List<SourceChoice.Candidate> CLUSTER = List.of(
            new SourceChoice.Candidate(NodeName.of("node1"), Optional.of("primary")),
            new SourceChoice.Candidate(NodeName.of("node2"), Optional.of("sync-standby")),
            new SourceChoice.Candidate(NodeName.of("node3"), Optional.of("async-standby")));

    @Test
    void takesTheNodeAskedFor() {
        SourceChoice.Choice c = SourceChoice.choose(CLUSTER, Optional.of(NodeName.of("node1")));
        assertEquals(NodeName.of("node1"), c.node());
        assertEquals("node node1 as requested", c.reason());
    }

    @Test
    void prefersTheAsyncStandbySoThePrimaryAndTheSyncStandbyAreSpared() {
        SourceChoice.Choice c = SourceChoice.choose(CLUSTER, Optional.empty());
        assertEquals(NodeName.of("node3"), c.node());
        assertTrue(c.reason().contains("spares the primary"), c.reason());
    }

    @Test
    void takesThePrimaryWhenNoNodeIsHintedAsAStandby() {
        SourceChoice.Choice c = SourceChoice.choose(List.of(CLUSTER.getFirst()), Optional.empty());
        assertEquals(NodeName.of("node1"), c.node());
    }

    @Test
    void refusesANodeThatIsNotInTheCluster() {
        SourceChoice.UnknownNode e = assertThrows(
                SourceChoice.UnknownNode.class, () -> SourceChoice.choose(CLUSTER, Optional.of(NodeName.of("node9"))));
        assertTrue(e.getMessage().contains("[node1, node2, node3]"), e.getMessage());
    }
}
