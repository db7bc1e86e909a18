package io.pgops.maintenance.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class BlockingTreeTest {
    static BlockingTree.Session s(int pid, Integer... blockedBy) {
        return new BlockingTree.Session(pid, List.of(blockedBy), "app", "psql", "active", "Lock", 1000, "q" + pid);
    }

    @Test
    void anIdleInTransactionHolderIsTheRootOfAChainOfTwoWaiters() {
        List<BlockingTree.Node> roots = BlockingTree.of(List.of(s(100), s(200, 100), s(300, 200)));
        assertEquals(1, roots.size());
        BlockingTree.Node root = roots.getFirst();
        assertEquals(100, root.session().pid());
        assertEquals(2, root.waiting());
        assertEquals(200, root.blocks().getFirst().session().pid());
        assertEquals(300, root.blocks().getFirst().blocks().getFirst().session().pid());
    }

    @Test
    void twoIndependentBlockersMakeTwoTreesTheLargestFirst() {
        List<BlockingTree.Node> roots = BlockingTree.of(List.of(s(1), s(2, 1), s(10), s(11, 10), s(12, 10)));
        assertEquals(List.of(10, 1), roots.stream().map(r -> r.session().pid()).toList());
    }

    @Test
    void aSessionWaitingForTwoBlockersIsShownOnce() {
        List<BlockingTree.Node> roots = BlockingTree.of(List.of(s(1), s(2), s(3, 1, 2)));
        assertEquals(2, roots.size());
        assertEquals(1, roots.stream().mapToInt(BlockingTree.Node::waiting).sum());
    }

    @Test
    void aCycleStillShowsWithItsLowestPidAsRoot() {
        List<BlockingTree.Node> roots = BlockingTree.of(List.of(s(7, 8), s(8, 7)));
        assertEquals(1, roots.size());
        assertEquals(7, roots.getFirst().session().pid());
        assertEquals(8, roots.getFirst().blocks().getFirst().session().pid());
    }

    @Test
    void aBlockerThatIsNotInTheRowsIsStillTheRoot() {
        List<BlockingTree.Node> roots = BlockingTree.of(List.of(s(2, 1)));
        assertEquals(1, roots.getFirst().session().pid());
        assertEquals("gone or not visible", roots.getFirst().session().state());
    }
}
