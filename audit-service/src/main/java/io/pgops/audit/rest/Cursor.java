package io.pgops.audit.rest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque page cursor: the position of the last event of a page; the next page holds older
 * events. Opaque so that clients pass it back rather than compute it.
 */
final class Cursor {
    private static final String PREFIX = "seq:";

    private Cursor() {}

    static String after(long seq) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((PREFIX + seq).getBytes(StandardCharsets.UTF_8));
    }

    /** The position a cursor stands for; null if it is not one of ours. */
    static Long position(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!text.startsWith(PREFIX)) {
                return null;
            }
            long seq = Long.parseLong(text.substring(PREFIX.length()));
            return seq > 0 ? seq : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
