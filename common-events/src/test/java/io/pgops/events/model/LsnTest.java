package io.pgops.events.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.CloudEventCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LsnTest {
    @Test
    void lsnParsesPostgresFormatAndMeasuresByteDistance() {
        Lsn primary = Lsn.parse("16/B374D848");
        Lsn standby = Lsn.parse("16/A2000000");

        assertEquals(0x16_B374_D848L, primary.value());
        assertEquals(292_870_216L, primary.bytesSince(standby));
        assertEquals(-292_870_216L, standby.bytesSince(primary));
        assertEquals(0, primary.bytesSince(primary));
    }

    @Test
    void lsnFormatsLikePostgresWithUpperCaseHexAndNoPadding() {
        assertEquals("0/3000060", Lsn.of(0x3000060L).format());
        assertEquals("0/0", Lsn.ZERO.format());
        assertEquals("16/B374D848", Lsn.parse("16/b374d848").toString());
        assertEquals("FFFFFFFF/FFFFFFFF", Lsn.parse("FFFFFFFF/FFFFFFFF").format());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0/0", "0/3000060", "16/B374D848", "1/0", "FFFFFFFF/FFFFFFFF", "A/1"})
    void lsnRoundTripsThroughItsText(String text) {
        assertEquals(text, Lsn.parse(text).format());
    }

    @Test
    void lsnComparesUnsignedSoTheTopOfTheRangeIsNewest() {
        Lsn top = Lsn.parse("FFFFFFFF/FFFFFFFF");
        Lsn one = Lsn.parse("0/1");

        assertTrue(top.compareTo(one) > 0);
        assertTrue(Lsn.parse("1/0").compareTo(Lsn.parse("0/FFFFFFFF")) > 0);
        assertEquals(0, Lsn.parse("16/B374D848").compareTo(Lsn.parse("16/b374d848")));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", "16", "16/", "/B374D848", "16/B374D848/0", "G/0", "123456789/0", "0x16/0", " 16/0", "16/-1"})
    void lsnRejectsGarbageAndNamesIt(String garbage) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Lsn.parse(garbage));
        assertTrue(e.getMessage().contains("'" + garbage + "'"), e.getMessage());
    }

    @Test
    void lsnRejectsNull() {
        assertThrows(IllegalArgumentException.class, () -> Lsn.parse(null));
    }

    @Test
    void lsnIsJsonTextInPostgresFormat() throws Exception {
        var json = CloudEventCodec.json();

        assertEquals("\"16/B374D848\"", json.writeValueAsString(Lsn.parse("16/B374D848")));
        assertEquals(Lsn.parse("0/3000060"), json.readValue("\"0/3000060\"", Lsn.class));
    }
}
