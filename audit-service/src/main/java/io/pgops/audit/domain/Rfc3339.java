package io.pgops.audit.domain;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Reads the CloudEvents {@code time} attribute exactly as {@code OffsetDateTime.parse(text).toInstant()}
 * does, with a fast path for the form every pgops producer writes ({@code Instant.toString()}: {@code
 * 2026-11-25T02:15:00.123456Z}); any other form goes through {@code OffsetDateTime.parse}.
 */
public final class Rfc3339 {
    private Rfc3339() {}

    /**
     * A timestamp read.
     *
     * @param instant what it denotes
     * @param text {@code instant.toString()}: the text read when it already had that form (the usual
     *     case), so it need not be formatted again
     */
    public record Time(Instant instant, String text) {}

    /**
     * Reads an RFC 3339 timestamp.
     *
     * @throws DateTimeException if the text is not one
     */
    public static Time read(String text) {
        Instant fast = fast(text);
        if (fast == null) {
            Instant slow = OffsetDateTime.parse(text).toInstant();
            return new Time(slow, slow.toString());
        }
        return new Time(fast, isCanonical(text, fast) ? text : fast.toString());
    }

    /** The instant of an RFC 3339 timestamp, as {@code OffsetDateTime.parse(text).toInstant()}. */
    public static Instant parse(String text) {
        Instant fast = fast(text);
        return fast != null ? fast : OffsetDateTime.parse(text).toInstant();
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, else null (including invalid field values: the slow path decides). */
    static Instant fast(String s) {
        int n = s.length();
        if (n < 20
                || n > 30
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || s.charAt(10) != 'T'
                || s.charAt(13) != ':'
                || s.charAt(16) != ':'
                || s.charAt(n - 1) != 'Z') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int nano = 0;
        if (n > 20) {
            int fraction = n - 21; // between '.' and 'Z'
            if (s.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return null;
            }
            int f = digits(s, 20, n - 1);
            if (f < 0) {
                return null;
            }
            nano = f;
            for (int i = fraction; i < 9; i++) {
                nano *= 10;
            }
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nano)
                    .toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** Whether {@code text}, which the fast path read as {@code parsed}, is {@code parsed.toString()}. */
    private static boolean isCanonical(String text, Instant parsed) {
        int fraction = text.length() - 21;
        int nano = parsed.getNano();
        if (nano == 0) {
            return fraction <= 0;
        }
        int expected = nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
        return fraction == expected;
    }

    /** The decimal value of {@code s[from, to)}, or -1 if a character is not an ASCII digit. */
    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
