package io.pgops.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventIdsTest {
    @Test
    void anIdIsAVersion7UuidWithTheRfc4122Variant() {
        UUID id = UUID.fromString(EventIds.newId());
        assertEquals(7, id.version());
        assertEquals(2, id.variant());
    }

    @Test
    void anIdCarriesTheTimeItWasMadeInItsFirst48Bits() {
        long millis = 1_795_000_000_123L;
        UUID id = EventIds.newUuid(millis);
        assertEquals(millis, id.getMostSignificantBits() >>> 16);
        assertTrue(
                id.toString().startsWith(String.format("%08x-%04x-7", millis >>> 16, millis & 0xFFFF)), id::toString);
    }

    @Test
    void idsMadeLaterSortAfterIdsMadeEarlierAsText() {
        String earlier = EventIds.newUuid(1_795_000_000_123L).toString();
        String later = EventIds.newUuid(1_795_000_000_124L).toString();
        assertTrue(earlier.compareTo(later) < 0, earlier + " then " + later);
    }

    @Test
    void idsMadeInTheSameMillisecondAreStillUnique() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(EventIds.newUuid(1_795_000_000_123L).toString());
        }
        assertEquals(100_000, ids.size());
    }
}
