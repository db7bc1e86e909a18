package io.pgops.replication.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.replication.domain.AgentCredential.Claims;
import io.pgops.replication.domain.AgentCredential.Command;
import io.pgops.replication.domain.AgentCredential.Refusal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentCredentialTest {
    static final String NODE2 = AgentCredential.audience("orders", "node2");
    static final Instant DEADLINE = Instant.parse("2026-12-06T23:50:00.123Z");
    static final Command PROMOTE = new Command(7, "op-00000001", DEADLINE, null, "0/3000028", "node3", null);

    private static Optional<Refusal> check(Claims c, String audience, String op, Command command) {
        return AgentCredential.check(c, audience, op, command).map(AgentCredential.Refused::refusal);
    }

    @Test
    void acceptsTheCoordinatorsCredentialForThisNodeOperationAndCommand() {
        assertEquals(
                Optional.empty(),
                check(AgentCredential.forCommand(NODE2, "promote", PROMOTE), NODE2, "promote", PROMOTE));
    }

    @Test
    void refusesACredentialMeantForAnotherNode() {
        Claims forNode3 = AgentCredential.forCommand(AgentCredential.audience("orders", "node3"), "promote", PROMOTE);
        assertEquals(Optional.of(Refusal.WRONG_NODE), check(forNode3, NODE2, "promote", PROMOTE));
        Claims otherCluster =
                AgentCredential.forCommand(AgentCredential.audience("billing", "node2"), "promote", PROMOTE);
        assertEquals(Optional.of(Refusal.WRONG_NODE), check(otherCluster, NODE2, "promote", PROMOTE));
    }

    @Test
    void refusesACredentialForAnotherOperation() {
        Claims follow = AgentCredential.forCommand(NODE2, "follow", PROMOTE);
        assertEquals(Optional.of(Refusal.WRONG_OPERATION), check(follow, NODE2, "promote", PROMOTE));
        assertEquals(
                Optional.of(Refusal.WRONG_OPERATION),
                check(AgentCredential.forStatus(NODE2), NODE2, "fence", PROMOTE),
                "a report's credential commands nothing");
    }

    @Test
    void refusesACredentialReplayedWithAnAlteredCommand() {
        Claims signed = AgentCredential.forCommand(NODE2, "promote", PROMOTE);
        List<Command> altered = List.of(
                new Command(8, "op-00000001", DEADLINE, null, "0/3000028", "node3", null),
                new Command(7, "op-00000002", DEADLINE, null, "0/3000028", "node3", null),
                new Command(7, "op-00000001", DEADLINE.plusSeconds(60), null, "0/3000028", "node3", null),
                new Command(7, "op-00000001", DEADLINE, "node1", "0/3000028", "node3", null),
                new Command(7, "op-00000001", DEADLINE, null, null, "node3", null),
                new Command(7, "op-00000001", DEADLINE, null, "0/3000028", "", null),
                new Command(7, "op-00000001", DEADLINE, null, "0/3000028", "node3", List.of()));
        for (Command c : altered) {
            assertEquals(Optional.of(Refusal.OTHER_COMMAND), check(signed, NODE2, "promote", c), c.toString());
        }
    }

    @Test
    void refusesAnotherIssuer() {
        Claims c = AgentCredential.forCommand(NODE2, "promote", PROMOTE);
        Claims people = new Claims("pgops", c.audience(), c.operation(), c.term(), c.operationId(), c.command());
        assertEquals(Optional.of(Refusal.WRONG_ISSUER), check(people, NODE2, "promote", PROMOTE));
    }

    @Test
    void theDigestTellsANullFromAnEmptyFieldAndFieldsApart() {
        assertNotEquals(
                AgentCredential.digest(new Command(1, "op-0001", DEADLINE, null, null, "", null)),
                AgentCredential.digest(new Command(1, "op-0001", DEADLINE, null, null, null, null)));
        assertNotEquals(
                AgentCredential.digest(new Command(1, "op-0001", DEADLINE, "ab", null, null, null)),
                AgentCredential.digest(new Command(1, "op-0001", DEADLINE, null, "ab", null, null)));
        assertNotEquals(
                AgentCredential.digest(new Command(1, "op-0001", DEADLINE, null, null, null, List.of("a_b"))),
                AgentCredential.digest(new Command(1, "op-0001", DEADLINE, null, null, null, List.of("a", "b"))));
        assertEquals(AgentCredential.digest(PROMOTE), AgentCredential.digest(PROMOTE));
        assertTrue(AgentCredential.digest(PROMOTE).matches("[A-Za-z0-9_-]{43}"));
    }

    @Test
    void aReportsCredentialNeedsNoCommand() {
        assertEquals(Optional.empty(), check(AgentCredential.forStatus(NODE2), NODE2, AgentCredential.STATUS, null));
    }
}
