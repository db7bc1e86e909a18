package io.pgops.replication.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Term;
import io.pgops.events.model.Timeline;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WalFetchTest {
    static final NodeName N1 = NodeName.of("node1");
    static final NodeName N2 = NodeName.of("node2");
    static final NodeName N3 = NodeName.of("node3");

    static AgentReport standby(NodeName n, String received, int timeline) {
        return new AgentReport(
                n,
                true,
                true,
                true,
                Timeline.of(timeline),
                null,
                Lsn.parse(received),
                Lsn.parse(received),
                "streaming",
                5432,
                "",
                List.of(),
                List.of(),
                Term.of(3),
                null,
                true);
    }

    static AgentReport stopped(NodeName n) {
        return new AgentReport(
                n,
                false,
                true,
                true,
                Timeline.of(1),
                null,
                null,
                null,
                null,
                null,
                "",
                List.of(),
                List.of(),
                Term.of(3),
                null,
                false);
    }

    @Test
    void theCandidateFetchesFromTheStandbyThatReceivedMoreWal() {
        Optional<WalFetch.Source> s = WalFetch.source(
                N2, Map.of(N2, standby(N2, "0/3000000", 1), N3, standby(N3, "0/3000800", 1), N1, stopped(N1)), N1);
        assertEquals(N3, s.orElseThrow().node());
        assertEquals(Lsn.parse("0/3000800"), s.get().upTo());
        assertTrue(s.get().reason().contains("2048 bytes"), s.get().reason());
    }

    @Test
    void nothingToFetchWhenTheCandidateHasTheMostWal() {
        assertEquals(
                Optional.empty(),
                WalFetch.source(N2, Map.of(N2, standby(N2, "0/3000800", 1), N3, standby(N3, "0/3000800", 1)), N1));
    }

    @Test
    void aStandbyOnAnotherTimelineOrStoppedOrTheOldPrimaryIsNoSource() {
        assertEquals(
                Optional.empty(),
                WalFetch.source(N2, Map.of(N2, standby(N2, "0/3000000", 1), N3, standby(N3, "0/4000000", 2)), N1));
        assertEquals(
                Optional.empty(), WalFetch.source(N2, Map.of(N2, standby(N2, "0/3000000", 1), N3, stopped(N3)), N1));
        assertEquals(
                Optional.empty(),
                WalFetch.source(N2, Map.of(N2, standby(N2, "0/3000000", 1), N1, standby(N1, "0/5000000", 1)), N1));
    }
}
