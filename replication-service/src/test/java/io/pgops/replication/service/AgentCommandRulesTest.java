package io.pgops.replication.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Term;
import io.pgops.kit.messaging.KafkaClients;
import io.pgops.replication.config.AgentConfig;
import io.pgops.replication.domain.TermGuard;
import jakarta.enterprise.inject.Vetoed;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What an agent does with a command that comes late, twice, or under a term superseded while it ran: it
 * drops it, answers it from memory, or refuses the irreversible step; the step itself never runs.
 */
class AgentCommandRulesTest {
    static final PrimaryLease LEASE = new PrimaryLease(
            java.time.Duration.ofSeconds(3), java.time.Duration.ofMillis(600), java.time.Duration.ofSeconds(1));

    /** A view whose committed term the test sets, and which is always read to its end (not a bean). */
    @Vetoed
    static final class SetView extends TopologyView {
        final AtomicReference<Term> committed = new AtomicReference<>(Term.of(5));
        volatile boolean readable = true;

        SetView() {
            super(new KafkaClients(Map.of()));
        }

        @Override
        public Term committedTerm(ClusterId cluster) {
            return committed.get();
        }

        @Override
        public boolean awaitTerm(ClusterId cluster, Term term, Duration timeout) {
            return !term.isNewerThan(committed.get());
        }

        @Override
        public boolean awaitCaughtUp(Duration timeout) {
            return readable;
        }
    }

    private final SetView view = new SetView();
    private final AgentNode agent = agent(view);

    private static AgentNode agent(TopologyView view) {
        AgentConfig config = (AgentConfig) Proxy.newProxyInstance(
                AgentConfig.class.getClassLoader(),
                new Class<?>[] {AgentConfig.class},
                (p, m, args) -> switch (m.getName()) {
                    case "cluster" -> Optional.of("c1");
                    case "node" -> Optional.of("node1");
                    case "termConfirmation" -> Duration.ofMillis(100);
                    default -> Optional.empty();
                });
        AgentNode a = new AgentNode(config, null, view, LEASE);
        a.markReady();
        return a;
    }

    @Test
    void aCommandWhoseDeadlinePassedIsDroppedAndNothingRuns() {
        AtomicBoolean ran = new AtomicBoolean();
        AgentNode.Expired e = assertThrows(
                AgentNode.Expired.class,
                () -> agent.underTerm(Term.of(5), Instant.now().minusMillis(1), "promote", () -> ran.getAndSet(true)));
        assertFalse(ran.get(), "an expired command never runs");
        assertTrue(e.getMessage().contains("deadline"), e.getMessage());
    }

    @Test
    void aCommandThatWaitedBehindAnotherPastItsDeadlineIsDropped() throws Exception {
        AtomicBoolean secondRan = new AtomicBoolean();
        AtomicReference<Throwable> second = new AtomicReference<>();
        Thread behind = new Thread(() -> {
            try {
                agent.underTerm(Term.of(5), Instant.now().plusMillis(200), "fence", () -> secondRan.getAndSet(true));
            } catch (Throwable t) {
                second.set(t);
            }
        });
        agent.underTerm(Term.of(5), Instant.now().plusSeconds(5), "promote", () -> {
            behind.start();
            // the second command is now queued on the agent's lock; this one outlasts its deadline
            long until = System.nanoTime() + Duration.ofMillis(400).toNanos();
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            return null;
        });
        behind.join(5000);
        assertFalse(secondRan.get(), "the command that got its turn too late did not run");
        assertTrue(second.get() instanceof AgentNode.Expired, String.valueOf(second.get()));
    }

    @Test
    void aTermSupersededWhileTheCommandRanRefusesTheIrreversibleStep() {
        AtomicBoolean stepped = new AtomicBoolean();
        AgentNode.TermRefused refused = assertThrows(
                AgentNode.TermRefused.class,
                () -> agent.underTerm(Term.of(5), Instant.now().plusSeconds(5), "promote", () -> {
                    view.committed.set(Term.of(6)); // a successor committed its term while we waited for replay
                    agent.barrier("pg_promote");
                    return stepped.getAndSet(true);
                }));
        assertEquals(TermGuard.Verdict.STALE, refused.verdict);
        assertFalse(stepped.get(), "pg_promote did not run");
        assertEquals(Term.of(6), agent.highestTerm());
    }

    @Test
    void theIrreversibleStepIsRefusedWhenTheTopologyCannotBeReadToItsEnd() {
        view.readable = false;
        AtomicBoolean stepped = new AtomicBoolean();
        AgentNode.TermRefused refused = assertThrows(
                AgentNode.TermRefused.class,
                () -> agent.underTerm(Term.of(5), Instant.now().plusSeconds(5), "fence", () -> {
                    agent.barrier("stop");
                    return stepped.getAndSet(true);
                }));
        assertEquals(TermGuard.Verdict.UNCONFIRMED, refused.verdict);
        assertFalse(stepped.get(), "pg_ctl stop did not run");
    }

    @Test
    void theStepRunsWhenTheTermIsStillTheNewestAfterTheBarrier() {
        assertEquals("promoted", agent.underTerm(Term.of(5), Instant.now().plusSeconds(5), "promote", () -> {
            agent.barrier("pg_promote");
            return "promoted";
        }));
    }

    @Test
    void aRoutingCheckLearnsANewerTermWhileACommandRuns() throws Exception {
        AtomicReference<Term> seen = new AtomicReference<>();
        agent.underTerm(Term.of(5), Instant.now().plusSeconds(5), "promote", () -> {
            view.committed.set(Term.of(7));
            Thread reader = new Thread(() -> seen.set(agent.highestTerm()));
            reader.start();
            try {
                reader.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        assertEquals(Term.of(7), seen.get(), "highestTerm() did not wait for the running command");
    }

    @Test
    void aRepeatedOperationIdIsAnsweredRunningThenWithItsOutcomeAndNeverRunsTwice() {
        Operations ops = new Operations();
        assertTrue(ops.begin("op-00000001").isEmpty(), "a new id runs");
        assertTrue(ops.begin("op-00000001").orElseThrow().running(), "asked again while it runs: running");
        ops.end("op-00000001", 200, Map.of("promoted", true));
        Operations.Known k = ops.begin("op-00000001").orElseThrow();
        assertFalse(k.running());
        assertEquals(200, k.status());
        assertEquals(Map.of("promoted", true), k.body());
        assertTrue(ops.begin("op-00000002").isEmpty(), "another id runs");
    }
}
