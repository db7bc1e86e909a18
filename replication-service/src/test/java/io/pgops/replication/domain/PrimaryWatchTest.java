package io.pgops.replication.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When the owner calls its primary lost: only on its own repeated looks, never on one slow probe. */
class PrimaryWatchTest {
    static final long MS = 1_000_000L;
    static final PrimaryWatch.Look WRITABLE = new PrimaryWatch.Look(true, true, false, null);
    static final PrimaryWatch.Look GONE = new PrimaryWatch.Look(false, false, false, "connection refused");
    static final PrimaryWatch.Look AGENT_GONE_POSTGRES_ANSWERS = new PrimaryWatch.Look(false, false, false, null);
    static final PrimaryWatch.Look POSTGRES_DOWN_AGENT_ALIVE = new PrimaryWatch.Look(true, false, true, null);

    @Test
    void oneFailedLookIsOnlySuspectAndAnAnsweringLookClearsIt() {
        PrimaryWatch w = new PrimaryWatch(2, Duration.ofSeconds(30));
        assertEquals(PrimaryWatch.State.SUSPECT, w.look(GONE, 0).state());
        assertEquals(PrimaryWatch.State.HEALTHY, w.look(WRITABLE, 300 * MS).state());
        assertEquals(PrimaryWatch.State.SUSPECT, w.look(GONE, 600 * MS).state());
    }

    @Test
    void twoConsecutiveLooksWithAgentAndProbeFailingLoseThePrimary() {
        PrimaryWatch w = new PrimaryWatch(2, Duration.ofSeconds(30));
        w.look(GONE, 0);
        PrimaryWatch.Verdict v = w.look(GONE, 300 * MS);
        assertEquals(PrimaryWatch.State.LOST, v.state());
        assertTrue(v.reason().contains("2 consecutive looks"), v.reason());
    }

    @Test
    void aDeadAgentBesideAPostgresThatAnswersTheProbeIsNeverAFailover() {
        PrimaryWatch w = new PrimaryWatch(2, Duration.ofSeconds(30));
        for (int i = 0; i < 100; i++) {
            assertEquals(
                    PrimaryWatch.State.HEALTHY,
                    w.look(AGENT_GONE_POSTGRES_ANSWERS, i * 300 * MS).state());
        }
    }

    @Test
    void postgresDownBesideALiveAgentIsRestartedInPlaceUntilThePrimaryStartTimeout() {
        PrimaryWatch w = new PrimaryWatch(2, Duration.ofSeconds(30));
        assertEquals(
                PrimaryWatch.State.RESTARTING,
                w.look(POSTGRES_DOWN_AGENT_ALIVE, 0).state());
        assertEquals(
                PrimaryWatch.State.RESTARTING,
                w.look(POSTGRES_DOWN_AGENT_ALIVE, 29_000 * MS).state());
        assertEquals(
                PrimaryWatch.State.LOST,
                w.look(POSTGRES_DOWN_AGENT_ALIVE, 31_000 * MS).state());
        // back up in time: the clock starts again at the next outage
        assertEquals(PrimaryWatch.State.HEALTHY, w.look(WRITABLE, 32_000 * MS).state());
        assertEquals(
                PrimaryWatch.State.RESTARTING,
                w.look(POSTGRES_DOWN_AGENT_ALIVE, 40_000 * MS).state());
    }

    private static PrimaryWatch.Look writableSilentFor(long millis) {
        return new PrimaryWatch.Look(true, true, false, null, millis);
    }

    private static PrimaryWatch.Look downSilentFor(long millis) {
        return new PrimaryWatch.Look(true, false, true, null, millis);
    }

    @Test
    void aPrimaryWhoseAgentAnswersButRenewsNoLeaseForThreeTtlsWhileKafkaAnswersIsLost() {
        PrimaryWatch w = new PrimaryWatch(2, Duration.ofSeconds(30), Duration.ofSeconds(3));
        assertEquals(
                PrimaryWatch.State.HEALTHY, w.look(writableSilentFor(900), 0).state());
        assertEquals(
                PrimaryWatch.State.HEALTHY,
                w.look(writableSilentFor(8_999), 8_000 * MS).state());
        PrimaryWatch.Verdict v = w.look(writableSilentFor(9_000), 8_100 * MS);
        assertEquals(PrimaryWatch.State.CUT_OFF, v.state());
        assertTrue(v.reason().contains("cut off from Kafka"), v.reason());
    }

    @Test
    void postgresStoppedByItsAgentAtTheEndOfAnUnrenewedLeaseIsNotRestartedInPlace() {
        PrimaryWatch w = new PrimaryWatch(2, Duration.ofSeconds(30), Duration.ofSeconds(3));
        // a crash beside an agent that renews: restarted in place, as before
        assertEquals(
                PrimaryWatch.State.RESTARTING, w.look(downSilentFor(800), 0).state());
        // no renewal for a ttl: a restart could not hold; the watch waits for a renewal or the failover
        assertEquals(
                PrimaryWatch.State.SUSPECT,
                w.look(downSilentFor(3_000), 300 * MS).state());
        // nor once half a ttl has passed without one: its agent stops it a little before a whole ttl counts here
        // (a restart ordered then held the coordinator up for a minute on a cut-off agent, found by AgentCutOffIT)
        assertEquals(
                PrimaryWatch.State.SUSPECT,
                new PrimaryWatch(2, Duration.ofSeconds(30), Duration.ofSeconds(3))
                        .look(downSilentFor(2_600), 0)
                        .state());
        assertEquals(
                PrimaryWatch.State.SUSPECT,
                new PrimaryWatch(2, Duration.ofSeconds(30), Duration.ofSeconds(3))
                        .look(downSilentFor(1_500), 0)
                        .state());
        assertEquals(
                PrimaryWatch.State.CUT_OFF,
                w.look(downSilentFor(9_100), 6_400 * MS).state());
    }

    @Test
    void aSilenceNotKnownBecauseKafkaDoesNotAnswerTheCoordinatorFailsNothingOver() {
        PrimaryWatch w = new PrimaryWatch(2, Duration.ofSeconds(30), Duration.ofSeconds(3));
        for (int i = 0; i < 100; i++) {
            assertEquals(
                    PrimaryWatch.State.HEALTHY,
                    w.look(writableSilentFor(-1), i * 300 * MS).state());
        }
        assertEquals(
                PrimaryWatch.State.RESTARTING,
                w.look(downSilentFor(-1), 31_000 * MS).state());
    }

    @Test
    void anAgentThatDoesNotAnswerIsJudgedByTheProbeNotByTheLease() {
        PrimaryWatch w = new PrimaryWatch(2, Duration.ofSeconds(30), Duration.ofSeconds(3));
        PrimaryWatch.Look agentGoneSilent = new PrimaryWatch.Look(false, false, false, null, 60_000);
        assertEquals(PrimaryWatch.State.HEALTHY, w.look(agentGoneSilent, 0).state());
    }
}
