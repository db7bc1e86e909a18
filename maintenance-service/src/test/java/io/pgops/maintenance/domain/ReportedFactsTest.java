package io.pgops.maintenance.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.events.replication.HostFactsReported;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReportedFactsTest {
    static final long GB = 1L << 30;

    static HostFactsReported report(String node, Long ram, Integer cpus, String storage) {
        return new HostFactsReported(
                ClusterId.of("main"),
                NodeName.of(node),
                ram,
                cpus,
                1,
                2,
                80,
                "never",
                "/data",
                "/data",
                "rw,noatime",
                storage,
                Instant.parse("2026-12-07T05:00:00Z"));
    }

    @Test
    void theAdviceFitsTheSmallestHostSinceAnyNodeMayBecomeThePrimary() {
        HostFacts f = ReportedFacts.of(
                        List.of(
                                report("node1", 32 * GB, 8, "ssd"),
                                report("node2", 16 * GB, 16, "ssd"),
                                report("node3", 64 * GB, 4, "ssd")),
                        100,
                        HostFacts.Workload.MIXED)
                .orElseThrow();
        assertEquals(16 * GB, f.ramBytes());
        assertEquals(4, f.cpus());
        assertEquals(HostFacts.Storage.SSD, f.storage());
        assertTrue(
                f.source()
                        .startsWith("reported by the agents of node1, node2, node3: the least RAM 16.0 GiB (node2),"
                                + " the fewest CPUs 4 (node3); storage ssd on every node;"),
                f.source());
    }

    @Test
    void oneRotatingOrUnknownDiskMakesItHddAndSaysWhich() {
        HostFacts f = ReportedFacts.of(
                        List.of(report("node1", 8 * GB, 2, "ssd"), report("node2", 8 * GB, 2, "unknown")),
                        100,
                        HostFacts.Workload.MIXED)
                .orElseThrow();
        assertEquals(HostFacts.Storage.HDD, f.storage());
        assertTrue(f.source().contains("storage hdd (node2 unknown)"), f.source());
    }

    @Test
    void noAdviceWithoutANodeThatReportedBothRamAndCpus() {
        assertEquals(Optional.empty(), ReportedFacts.of(List.of(), 100, HostFacts.Workload.MIXED));
        assertEquals(
                Optional.empty(),
                ReportedFacts.of(List.of(report("node1", null, 2, "ssd")), 100, HostFacts.Workload.MIXED));
        assertEquals(
                Optional.empty(),
                ReportedFacts.of(List.of(report("node1", 100L << 20, 2, "ssd")), 100, HostFacts.Workload.MIXED),
                "100MB is below what the advisor sizes for");
    }

    @Test
    void aNodeThatCouldNotReadItsRamIsLeftOutOfTheSizing() {
        HostFacts f = ReportedFacts.of(
                        List.of(report("node1", null, 1, "ssd"), report("node2", 4 * GB, 2, "ssd")),
                        100,
                        HostFacts.Workload.WEB)
                .orElseThrow();
        assertEquals(2, f.cpus());
        assertTrue(f.source().startsWith("reported by the agents of node2:"), f.source());
    }

    @Test
    void theConnectionsReadFromTheClusterAreUsedAndTheAnswerSaysWhereFrom() {
        HostFacts f = ReportedFacts.of(
                        List.of(report("node1", 8L << 30, 4, "ssd")),
                        300,
                        "max_connections of node1",
                        HostFacts.Workload.MIXED)
                .orElseThrow();
        assertEquals(300, f.connections());
        assertTrue(f.source().contains("300 connections (max_connections of node1)"), f.source());
    }
}
