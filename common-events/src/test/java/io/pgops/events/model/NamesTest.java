package io.pgops.events.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.CloudEventCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {
    @ParameterizedTest
    @ValueSource(strings = {"a", "orders-eu1", "db_2", "0", "pg15-main"})
    void clusterIdsAndNodeNamesAcceptLowerCaseDnsLikeNames(String name) {
        assertEquals(name, ClusterId.of(name).toString());
        assertEquals(name, NodeName.of(name).toString());
    }

    @Test
    void namesMayHave63CharactersButNotMore() {
        String max = "a".repeat(63);
        assertEquals(max, ClusterId.of(max).value());
        assertThrows(IllegalArgumentException.class, () -> ClusterId.of(max + "a"));
        assertThrows(IllegalArgumentException.class, () -> NodeName.of(max + "a"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Orders", "-db1", "_db1", "db 1", "db.1", "db1\n", "dé1"})
    void namesRejectGarbageAndQuoteIt(String garbage) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterId.of(garbage));
        assertTrue(e.getMessage().contains("'" + garbage + "'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NodeName.of(garbage));
    }

    @Test
    void namesRejectNull() {
        assertThrows(IllegalArgumentException.class, () -> ClusterId.of(null));
        assertThrows(IllegalArgumentException.class, () -> NodeName.of(null));
    }

    @Test
    void namesAreJsonStrings() throws Exception {
        var json = CloudEventCodec.json();

        assertEquals("\"orders-eu1\"", json.writeValueAsString(ClusterId.of("orders-eu1")));
        assertEquals(NodeName.of("db2"), json.readValue("\"db2\"", NodeName.class));
    }
}
