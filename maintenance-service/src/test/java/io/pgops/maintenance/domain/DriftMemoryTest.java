package io.pgops.maintenance.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A scheduled check says each difference once, again only when it changes or comes back. */
class DriftMemoryTest {
    private static ConfigComparison.Drift drift(String name, String recommended, String actual, boolean pending) {
        return new ConfigComparison.Drift(name, recommended, actual, "configuration file", false, pending, "why");
    }

    /** A check whose news were published. */
    private static List<ConfigComparison.Drift> check(DriftMemory m, String node, List<ConfigComparison.Drift> now) {
        List<ConfigComparison.Drift> news = m.news(node, now);
        m.published(node, now);
        return news;
    }

    private static final ConfigComparison.Drift WORK_MEM = drift("work_mem", "8MB", "4MB", false);
    private static final ConfigComparison.Drift RPC = drift("random_page_cost", "1.1", "4", false);

    @Test
    void aDifferenceIsPublishedOnceWhileItLasts() {
        DriftMemory m = new DriftMemory();
        assertEquals(List.of(WORK_MEM, RPC), check(m, "node1", List.of(WORK_MEM, RPC)));
        assertEquals(List.of(), check(m, "node1", List.of(WORK_MEM, RPC)));
        assertEquals(List.of(), check(m, "node1", List.of(RPC, WORK_MEM)));
    }

    @Test
    void eachNodeIsRememberedOnItsOwn() {
        DriftMemory m = new DriftMemory();
        check(m, "node1", List.of(WORK_MEM));
        assertEquals(List.of(WORK_MEM), check(m, "node2", List.of(WORK_MEM)));
    }

    @Test
    void aChangedActualValueOrAPendingRestartIsNews() {
        DriftMemory m = new DriftMemory();
        check(m, "node1", List.of(WORK_MEM));
        ConfigComparison.Drift moved = drift("work_mem", "8MB", "6MB", false);
        assertEquals(List.of(moved), check(m, "node1", List.of(moved)));
        ConfigComparison.Drift pending = drift("work_mem", "8MB", "6MB", true);
        assertEquals(List.of(pending), check(m, "node1", List.of(pending)));
    }

    @Test
    void aDifferenceThatWentAwayAndCameBackIsPublishedAgain() {
        DriftMemory m = new DriftMemory();
        check(m, "node1", List.of(WORK_MEM, RPC));
        assertEquals(List.of(), check(m, "node1", List.of(RPC)));
        assertEquals(1, m.remembered("node1"));
        assertEquals(List.of(WORK_MEM), check(m, "node1", List.of(WORK_MEM, RPC)));
    }

    @Test
    void newsWhosePublishFailedAreNewsAgainNextTime() {
        DriftMemory m = new DriftMemory();
        assertEquals(List.of(WORK_MEM), m.news("node1", List.of(WORK_MEM))); // Kafka did not acknowledge it
        assertEquals(List.of(WORK_MEM), check(m, "node1", List.of(WORK_MEM)));
    }
}
