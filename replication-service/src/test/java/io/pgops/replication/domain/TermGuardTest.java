package io.pgops.replication.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pgops.events.model.Term;
import org.junit.jupiter.api.Test;

class TermGuardTest {
    @Test
    void aCommandFromAReplacedCoordinatorIsStale() {
        assertEquals(TermGuard.Verdict.STALE, TermGuard.judge(Term.of(4), Term.of(5), Term.of(5)));
    }

    @Test
    void aCommandOfTheNewestCommittedTermIsAccepted() {
        assertEquals(TermGuard.Verdict.ACCEPT, TermGuard.judge(Term.of(5), Term.of(5), Term.of(5)));
    }

    @Test
    void aCommandWhoseTermNoCommittedTopologyCarriesWaitsForIt() {
        assertEquals(TermGuard.Verdict.UNCONFIRMED, TermGuard.judge(Term.of(6), Term.of(5), Term.of(5)));
    }

    @Test
    void aTermSeenInAnAcceptedCommandOutranksAnOlderCommittedOne() {
        assertEquals(TermGuard.Verdict.STALE, TermGuard.judge(Term.of(5), Term.of(6), Term.of(6)));
    }
}
