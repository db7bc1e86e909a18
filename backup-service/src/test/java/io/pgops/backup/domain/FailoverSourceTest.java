package io.pgops.backup.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.model.NodeName;
import io.pgops.events.model.Timeline;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FailoverSourceTest {
    private static final NodeName NODE1 = NodeName.of("node1");
    private static final NodeName NODE2 = NodeName.of("node2");
    private static final NodeName NODE3 = NodeName.of("node3");
    private static final Timeline TWO = Timeline.of(2);

    private static FailoverSource.Observed node(NodeName n, String hint, Long timeline) {
        return new FailoverSource.Observed(
                n, Optional.of(hint), Optional.ofNullable(timeline).map(Timeline::of));
    }

    @Test
    void takesItFromTheNewPrimaryWhenTheAsyncStandbyStillReplaysTheOldTimeline() {
        FailoverSource.Choice c = FailoverSource.choose(
                List.of(
                        node(NODE1, "primary", null),
                        node(NODE2, "sync-standby", 2L),
                        node(NODE3, "async-standby", 1L)),
                NODE2,
                TWO);
        assertEquals(Optional.of(NODE2), c.node());
        assertEquals(
                "the new primary node2 (timeline 2): no standby has followed timeline 2 yet (node1 unreachable,"
                        + " node3 on timeline 1)",
                c.reason());
    }

    @Test
    void prefersTheAsyncStandbyOnceItFollowsTheNewTimeline() {
        FailoverSource.Choice c = FailoverSource.choose(
                List.of(node(NODE1, "primary", 2L), node(NODE2, "sync-standby", 2L), node(NODE3, "async-standby", 2L)),
                NODE2,
                TWO);
        assertEquals(Optional.of(NODE3), c.node());
        assertTrue(c.reason().startsWith("standby node3 (timeline 2)"), c.reason());
    }

    @Test
    void prefersARejoinedOldPrimaryOverTheNewPrimaryWhenItIsTheOnlyStandbyOnTheNewTimeline() {
        FailoverSource.Choice c = FailoverSource.choose(
                List.of(node(NODE1, "primary", 2L), node(NODE2, "sync-standby", 2L), node(NODE3, "async-standby", 1L)),
                NODE2,
                TWO);
        assertEquals(Optional.of(NODE1), c.node());
    }

    @Test
    void acceptsALaterTimelineThanTheFailovers() {
        FailoverSource.Choice c = FailoverSource.choose(
                List.of(node(NODE2, "sync-standby", 3L), node(NODE3, "async-standby", 3L)), NODE2, TWO);
        assertEquals(Optional.of(NODE3), c.node());
    }

    @Test
    void takesNoBackupWhenTheNewPrimaryIsStillOnTheOldTimeline() {
        FailoverSource.Choice c = FailoverSource.choose(
                List.of(node(NODE2, "sync-standby", 1L), node(NODE3, "async-standby", 1L)), NODE2, TWO);
        assertEquals(Optional.empty(), c.node());
        assertEquals(
                "no node is on timeline 2: the new primary node2 reports timeline 1 (node3 on timeline 1)", c.reason());
    }

    @Test
    void takesNoBackupWhenTheNewPrimaryCannotBeReached() {
        FailoverSource.Choice c = FailoverSource.choose(List.of(node(NODE2, "sync-standby", null)), NODE2, TWO);
        assertEquals(Optional.empty(), c.node());
        assertTrue(c.reason().contains("cannot be reached"), c.reason());
    }

    @Test
    void takesNoBackupWhenTheNewPrimaryIsNotInTheInventory() {
        FailoverSource.Choice c = FailoverSource.choose(List.of(node(NODE3, "async-standby", 1L)), NODE2, TWO);
        assertEquals(Optional.empty(), c.node());
        assertTrue(c.reason().contains("not a node of this cluster's inventory"), c.reason());
    }
}
