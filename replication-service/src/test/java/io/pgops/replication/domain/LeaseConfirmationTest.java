package io.pgops.replication.domain;

import static io.pgops.replication.domain.ReconcileTest.N1;
import static io.pgops.replication.domain.ReconcileTest.N2;
import static io.pgops.replication.domain.ReconcileTest.N3;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.model.Term;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The failsafe's rule on the other agents: confirm only the primary the topology they have read names. */
class LeaseConfirmationTest {
    @Test
    void confirmsThePrimaryTheTopologyNames() {
        assertTrue(LeaseConfirmation.judge(
                        Optional.of(CommandRulesTest.topology(false, null)), N1, Term.of(4), N2, false, Term.of(4))
                .confirmed());
    }

    @Test
    void confirmsAPrimaryWithANewerTermWhenTheTopologyReadNamesItToo() {
        assertTrue(LeaseConfirmation.judge(
                        Optional.of(CommandRulesTest.topology(false, null)), N1, Term.of(9), N2, false, Term.of(4))
                .confirmed());
    }

    @Test
    void refusesAPrimaryTheTopologyNoLongerNames() {
        LeaseConfirmation.Verdict v = LeaseConfirmation.judge(
                Optional.of(CommandRulesTest.topology(false, null)), N3, Term.of(4), N2, false, Term.of(4));
        assertFalse(v.confirmed());
        assertTrue(v.reason().contains("names node1, not node3"), v.reason());
    }

    @Test
    void refusesAPrimaryWhoseLeaseCredentialIsOfAnEarlierTerm() {
        LeaseConfirmation.Verdict v = LeaseConfirmation.judge(
                Optional.of(CommandRulesTest.topology(false, null)), N1, Term.of(4), N2, false, Term.of(3));
        assertFalse(v.confirmed());
        assertTrue(v.reason().contains("granted in term 3"), v.reason());
    }

    @Test
    void refusesWithoutATopology() {
        assertFalse(LeaseConfirmation.judge(Optional.empty(), N1, Term.of(4), N2, false, Term.of(4))
                .confirmed());
    }

    @Test
    void refusesWhenItIsItselfAWritablePrimary() {
        assertFalse(LeaseConfirmation.judge(
                        Optional.of(CommandRulesTest.topology(false, null)), N1, Term.of(4), N2, true, Term.of(4))
                .confirmed());
    }
}
