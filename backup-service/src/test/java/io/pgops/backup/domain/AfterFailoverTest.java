package io.pgops.backup.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.model.Timeline;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AfterFailoverTest {
    private static final String WHAT = "failover from node1 to node2 (term 4)";
    private static final Timeline TWO = Timeline.of(2);

    private static AfterFailover.Decision decide(
            boolean enabled, boolean managed, boolean taken, Optional<Timeline> newest, Optional<String> busy) {
        return AfterFailover.decide(enabled, managed, WHAT, TWO, taken, newest, busy);
    }

    @Test
    void takesAFreshBaseWhenTheNewestBackupIsOnTheOldTimeline() {
        AfterFailover.Decision d = decide(true, true, false, Optional.of(Timeline.of(1)), Optional.empty());
        assertEquals(AfterFailover.Action.TAKE, d.action());
        assertEquals(
                "fresh base backup on timeline 2 after the " + WHAT
                        + " (the newest backup is on timeline 1, before the switch)",
                d.reason());
    }

    @Test
    void takesABackupWhenTheClusterHasNone() {
        AfterFailover.Decision d = decide(true, true, false, Optional.empty(), Optional.empty());
        assertEquals(AfterFailover.Action.TAKE, d.action());
        assertTrue(d.reason().endsWith("(the cluster has no backup yet)"), d.reason());
    }

    @Test
    void queuesBehindABackupAlreadyRunningInsteadOfSkipping() {
        AfterFailover.Decision d =
                decide(true, true, false, Optional.of(Timeline.of(1)), Optional.of("1 backup or drill run(s) of it"));
        assertEquals(AfterFailover.Action.TAKE, d.action());
        assertTrue(d.reason().endsWith("; queued behind 1 backup or drill run(s) of it"), d.reason());
    }

    @Test
    void skipsARedeliveredFailoverWhoseBackupWasAlreadyRequested() {
        AfterFailover.Decision d = decide(true, true, true, Optional.of(Timeline.of(1)), Optional.empty());
        assertEquals(AfterFailover.Action.SKIP, d.action());
        assertTrue(d.reason().contains("already requested"), d.reason());
    }

    @Test
    void skipsWhenTheCatalogueAlreadyHoldsABaseOnTheNewTimeline() {
        AfterFailover.Decision d = decide(true, true, false, Optional.of(TWO), Optional.empty());
        assertEquals(AfterFailover.Action.SKIP, d.action());
        assertTrue(d.reason().contains("already on timeline 2"), d.reason());
    }

    @Test
    void skipsAnOldFailoverReplayedAfterALaterOne() {
        AfterFailover.Decision d = decide(true, true, false, Optional.of(Timeline.of(3)), Optional.empty());
        assertEquals(AfterFailover.Action.SKIP, d.action());
    }

    @Test
    void skipsWhenSwitchedOff() {
        AfterFailover.Decision d = decide(false, true, false, Optional.empty(), Optional.empty());
        assertEquals(AfterFailover.Action.SKIP, d.action());
        assertTrue(d.reason().contains("pgops.backup.after-failover is off"), d.reason());
    }

    @Test
    void skipsAClusterThisInstanceDoesNotManage() {
        AfterFailover.Decision d = decide(true, false, false, Optional.empty(), Optional.empty());
        assertEquals(AfterFailover.Action.SKIP, d.action());
        assertTrue(d.reason().contains("not in this instance's inventory"), d.reason());
    }
}
