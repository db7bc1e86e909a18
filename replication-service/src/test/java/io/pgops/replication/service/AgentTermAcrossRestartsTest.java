package io.pgops.replication.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.model.Term;
import io.pgops.kit.messaging.KafkaClients;
import io.pgops.replication.config.AgentConfig;
import io.pgops.replication.domain.TermGuard;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The highest term an agent has seen outlives the agent: a restarted agent refuses a term older than
 * one it accepted before, even before (or without) reading the topology again.
 */
class AgentTermAcrossRestartsTest {
    static final PrimaryLease LEASE = new PrimaryLease(
            java.time.Duration.ofSeconds(3), java.time.Duration.ofMillis(600), java.time.Duration.ofSeconds(1));

    @TempDir
    Path dir;

    /** An agent as configured beside a node whose data directory is {@code dir/node1}; its view never reads. */
    private AgentNode agent() {
        AgentConfig config = (AgentConfig) Proxy.newProxyInstance(
                AgentConfig.class.getClassLoader(),
                new Class<?>[] {AgentConfig.class},
                (p, m, args) -> switch (m.getName()) {
                    case "cluster" -> Optional.of("c1");
                    case "node" -> Optional.of("node1");
                    case "dataDir" -> Optional.of(dir.resolve("node1").toString());
                    case "termConfirmation" -> Duration.ofMillis(100);
                    default -> Optional.empty();
                });
        AgentNode a = new AgentNode(config, null, new TopologyView(new KafkaClients(Map.of())), LEASE);
        a.markReady();
        return a;
    }

    @Test
    void aTermStoredBeforeARestartIsTheHighestSeenAfterIt() {
        new TermStore(dir.resolve("node1.term")).save(Term.of(7));
        assertEquals(Term.of(7), agent().highestTerm());
    }

    @Test
    void anOlderTermIsRefusedAfterARestartAsStaleWithoutWaitingForTheTopology() {
        new TermStore(dir.resolve("node1.term")).save(Term.of(7));
        AgentNode restarted = agent();
        AgentNode.TermRefused refused = assertThrows(
                AgentNode.TermRefused.class, () -> restarted.underTerm(Term.of(6), "promote", () -> "promoted"));
        assertEquals(TermGuard.Verdict.STALE, refused.verdict);
    }

    @Test
    void noCommandIsTakenBeforeTheAgentIsReady() {
        AgentConfig config = (AgentConfig) Proxy.newProxyInstance(
                AgentConfig.class.getClassLoader(),
                new Class<?>[] {AgentConfig.class},
                (p, m, args) -> m.getName().equals("cluster")
                        ? Optional.of("c1")
                        : m.getName().equals("node") ? Optional.of("node1") : Optional.empty());
        AgentNode starting = new AgentNode(config, null, new TopologyView(new KafkaClients(Map.of())), LEASE);
        assertThrows(AgentNode.NotReady.class, () -> starting.underTerm(Term.of(1), "fence", () -> "fenced"));
    }

    @Test
    void theTermFileIsReplacedWholeAndHoldsOnlyTheNewestTerm() throws Exception {
        TermStore store = new TermStore(dir.resolve("node1.term"));
        store.save(Term.of(3));
        store.save(Term.of(12));
        assertEquals("12\n", Files.readString(store.file()));
        assertTrue(
                Files.list(dir).noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        assertEquals(Term.of(12), new TermStore(dir.resolve("node1.term")).load());
    }

    @Test
    void aTermFileThatHoldsNoTermStopsTheAgentWithAClearError() throws Exception {
        Files.writeString(dir.resolve("node1.term"), "garbage");
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> new TermStore(dir.resolve("node1.term")).load());
        assertTrue(e.getMessage().contains("holds no term"), e.getMessage());
    }
}
