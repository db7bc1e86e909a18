package io.pgops.events.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.CloudEventCodec;
import org.junit.jupiter.api.Test;

class TimelineAndTermTest {
    @Test
    void timelineStartsAtOneAndPromotionMovesToTheNext() {
        assertEquals(Timeline.of(4), Timeline.of(3).next());
        assertTrue(Timeline.of(4).compareTo(Timeline.of(3)) > 0);
        assertThrows(IllegalArgumentException.class, () -> Timeline.of(0));
        assertThrows(IllegalArgumentException.class, () -> Timeline.of(0x1_0000_0000L));
    }

    @Test
    void termIncreasesAndKnowsWhichIsNewer() {
        Term seven = Term.of(7);

        assertEquals(Term.of(8), seven.next());
        assertTrue(seven.next().isNewerThan(seven));
        assertFalse(seven.isNewerThan(seven));
        assertFalse(Term.ZERO.isNewerThan(seven));
        assertTrue(seven.compareTo(Term.ZERO) > 0);
        assertThrows(IllegalArgumentException.class, () -> Term.of(-1));
    }

    @Test
    void timelineAndTermAreJsonNumbers() throws Exception {
        var json = CloudEventCodec.json();

        assertEquals("3", json.writeValueAsString(Timeline.of(3)));
        assertEquals("7", json.writeValueAsString(Term.of(7)));
        assertEquals(Timeline.of(12), json.readValue("12", Timeline.class));
        assertEquals(Term.of(0), json.readValue("0", Term.class));
    }
}
