package io.pgops.events.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A PostgreSQL write-ahead log position ({@code pg_lsn}): a byte offset into the WAL stream, printed by PostgreSQL
 * as two hexadecimal 32-bit halves, {@code 16/B374D848}. In JSON it is that text.
 *
 * @param value the WAL byte position as an unsigned 64-bit number
 */
public record Lsn(long value) implements Comparable<Lsn> {
    /** The JSON Schema / regular-expression form of the text form (PostgreSQL accepts either case). */
    public static final String PATTERN = "^[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}$";

    /** {@code 0/0}, PostgreSQL's {@code InvalidXLogRecPtr}. */
    public static final Lsn ZERO = new Lsn(0);

    private static final Pattern VALID = Pattern.compile(PATTERN);

    /** Parses PostgreSQL's {@code X/X} text, e.g. {@code 16/B374D848}; rejects anything else. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Lsn parse(String text) {
        if (text == null || !VALID.matcher(text).matches()) {
            throw new IllegalArgumentException(
                    "invalid LSN '" + text + "': expected PostgreSQL's X/X hex form like 16/B374D848");
        }
        int slash = text.indexOf('/');
        long high = Long.parseLong(text, 0, slash, 16);
        long low = Long.parseLong(text, slash + 1, text.length(), 16);
        return new Lsn(high << 32 | low);
    }

    public static Lsn of(long value) {
        return new Lsn(value);
    }

    /** The text PostgreSQL prints: upper-case hex halves without padding, e.g. {@code 0/3000060}. */
    @JsonValue
    public String format() {
        return Long.toHexString(value >>> 32).toUpperCase(Locale.ROOT)
                + "/"
                + Long.toHexString(value & 0xFFFF_FFFFL).toUpperCase(Locale.ROOT);
    }

    /** Bytes of WAL from {@code older} to this position; negative when {@code older} is in fact ahead. */
    public long bytesSince(Lsn older) {
        return value - older.value;
    }

    @Override
    public int compareTo(Lsn other) {
        return Long.compareUnsigned(value, other.value);
    }

    @Override
    public String toString() {
        return format();
    }
}
