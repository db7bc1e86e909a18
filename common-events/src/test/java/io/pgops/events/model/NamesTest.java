package io.pgops.events.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.CloudEventCodec;
import java.util.Random;
import java.util.regex.Pattern;
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

    @Test
    void theHandWrittenCheckAcceptsExactlyWhatThePublishedPatternAccepts() {
        Pattern pattern = Pattern.compile(ClusterId.PATTERN);
        String alphabet = "az09_-AZ.é \n/'";
        Random random = new Random(42);
        int accepted = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder b = new StringBuilder();
            int length = random.nextInt(70);
            for (int k = 0; k < length; k++) {
                // mostly valid characters, so that long valid names are drawn too
                b.append(
                        random.nextInt(10) < 9
                                ? "abcxyz0189_-".charAt(random.nextInt(12))
                                : alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String s = b.toString();
            boolean expected = pattern.matcher(s).matches();
            assertEquals(expected, Names.valid(s), () -> "'" + s + "'");
            accepted += expected ? 1 : 0;
        }
        assertEquals(true, accepted > 1_000, "the draw includes valid names: " + accepted);
    }

    @Test
    void edgeCasesFollowThePattern() {
        for (String ok : new String[] {"a", "0", "db1", "a-b_c", "a".repeat(63)}) {
            assertEquals(true, Names.valid(ok), ok);
        }
        for (String bad : new String[] {"", "-a", "_a", "A", "a.b", "a".repeat(64), "a\n", "é"}) {
            assertEquals(false, Names.valid(bad), bad);
        }
    }
}
