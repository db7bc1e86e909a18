package io.pgops.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgops.events.health.NodeReachable;
import io.pgops.events.model.Role;
import io.pgops.events.replication.FailoverCompleted;
import io.pgops.events.replication.FailoverRefused;
import io.pgops.events.replication.FailoverStarted;
import io.pgops.events.replication.LeadershipChange;
import io.pgops.events.replication.TopologyChanged;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Enums on the wire: each constant is its code, and a record with a code that is none of them is malformed. */
class WireCodesTest {
    @Test
    void leadershipChangeCodesRoundTrip() throws Exception {
        assertEquals(
                List.of("failover", "switchover", "manual"),
                Arrays.stream(LeadershipChange.values())
                        .map(LeadershipChange::code)
                        .toList());
        assertRoundTrip(
                LeadershipChange.values(), LeadershipChange::code, LeadershipChange::of, LeadershipChange.class);
    }

    @Test
    void roleCodesRoundTrip() throws Exception {
        assertEquals(
                List.of("primary", "standby", "fenced", "unreachable"),
                Arrays.stream(Role.values()).map(Role::code).toList());
        assertRoundTrip(Role.values(), Role::code, Role::of, Role.class);
    }

    @Test
    void anUnknownCodeIsRefusedByName() {
        IllegalArgumentException kind =
                assertThrows(IllegalArgumentException.class, () -> LeadershipChange.of("takeover"));
        assertEquals(
                "unknown leadership change 'takeover': expected one of failover, switchover, manual",
                kind.getMessage());
        IllegalArgumentException role = assertThrows(IllegalArgumentException.class, () -> Role.of("leader"));
        assertEquals("unknown role 'leader': expected one of primary, standby, fenced, unreachable", role.getMessage());
        // the Java names are not the codes
        assertThrows(IllegalArgumentException.class, () -> LeadershipChange.of("FAILOVER"));
        assertThrows(IllegalArgumentException.class, () -> Role.of("PRIMARY"));
        assertThrows(IllegalArgumentException.class, () -> Role.of(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"takeover", "FAILOVER", ""})
    void aLeadershipChangeWithAnUnknownKindIsMalformed(String kind) throws Exception {
        for (Class<? extends PgopsEvent> type :
                List.of(FailoverStarted.class, FailoverCompleted.class, FailoverRefused.class)) {
            MalformedEventException ex = assertMalformed(type, body -> body.put("kind", kind));

            assertTrue(ex.reason().contains("at kind: unknown leadership change '" + kind + "'"), ex.reason());
        }
    }

    @Test
    void aKindThatIsNotAStringIsMalformed() throws Exception {
        MalformedEventException ex = assertMalformed(FailoverStarted.class, body -> body.put("kind", 1));

        assertTrue(ex.reason().startsWith("body does not bind to "), ex.reason());
    }

    @Test
    void aMemberWithAnUnknownRoleIsMalformed() throws Exception {
        MalformedEventException ex = assertMalformed(
                TopologyChanged.class, body -> ((ObjectNode) body.get("members").get(1)).put("role", "leader"));

        assertTrue(ex.reason().contains("at members[1].role: unknown role 'leader'"), ex.reason());
    }

    @Test
    void aReachableNodeReportsOnlyARunningRole() throws Exception {
        MalformedEventException unknown = assertMalformed(NodeReachable.class, body -> body.put("role", "leader"));
        assertTrue(unknown.reason().contains("at role: unknown role 'leader'"), unknown.reason());

        MalformedEventException fenced = assertMalformed(NodeReachable.class, body -> body.put("role", "fenced"));
        assertTrue(
                fenced.reason().endsWith("role must be one of [primary, standby] but was 'fenced'"), fenced.reason());

        NodeReachable sample = (NodeReachable) Samples.of(NodeReachable.class);
        assertThrows(
                IllegalArgumentException.class,
                () -> new NodeReachable(
                        sample.cluster(),
                        sample.node(),
                        Role.UNREACHABLE,
                        sample.timeline(),
                        sample.downtimeMillis(),
                        sample.probedAt()));
    }

    private static <E extends Enum<E>> void assertRoundTrip(
            E[] constants, Function<E, String> code, Function<String, E> of, Class<E> type) throws Exception {
        var json = CloudEventCodec.json();
        for (E constant : constants) {
            String wire = json.writeValueAsString(code.apply(constant));
            assertEquals(wire, json.writeValueAsString(constant), "written as its code");
            assertEquals(constant, json.readValue(wire, type), "read from its code");
            assertEquals(constant, of.apply(code.apply(constant)));
            assertEquals(code.apply(constant), constant.toString(), "reads in text as on the wire");
        }
    }

    private interface Edit {
        void apply(ObjectNode body);
    }

    private static MalformedEventException assertMalformed(Class<? extends PgopsEvent> type, Edit edit)
            throws Exception {
        EventEnvelope e = EventEnvelope.wrap(Samples.of(type), "/pgops/test", null);
        ObjectNode body = (ObjectNode) CloudEventCodec.json().readTree(CloudEventCodec.body(e));
        edit.apply(body);
        byte[] bytes = CloudEventCodec.json().writeValueAsBytes(body);

        return assertThrows(
                MalformedEventException.class, () -> CloudEventCodec.decode(CloudEventCodec.headers(e), bytes));
    }
}
