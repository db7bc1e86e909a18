package io.pgops.events;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * New event and flow ids: UUID version 7 (RFC 9562 §5.7), a 48-bit Unix time in milliseconds
 * followed by 74 random bits. They are ordinary UUIDs to every consumer, but ids made close in time
 * sort close together, so a store that indexes them (the audit trail's unique {@code event_id}, its
 * flow index on {@code correlation_id}) inserts near the end of its index instead of on a random
 * page.
 */
public final class EventIds {
    private EventIds() {}

    /** A new id, made now. */
    public static String newId() {
        return newUuid(System.currentTimeMillis()).toString();
    }

    /** A version 7 UUID for the Unix time {@code millis} (its 48 low bits). */
    static UUID newUuid(long millis) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (millis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | (random.nextLong() & 0x0FFFL);
        long low = 0x8000_0000_0000_0000L | (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL);
        return new UUID(high, low);
    }
}
