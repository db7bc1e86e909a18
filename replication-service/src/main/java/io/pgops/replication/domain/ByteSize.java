package io.pgops.replication.domain;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as operators write them in Patroni's {@code ?lag=} (16MB, 1GB, 512kB, 1048576). */
public final class ByteSize {
    private static final Pattern SIZE = Pattern.compile("\\s*(\\d{1,15})\\s*([kmgt]?b?)?\\s*");

    private ByteSize() {}

    /** Bytes; throws IllegalArgumentException naming the text when it is not a size. */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size (examples: 16MB, 1GB, 1048576)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2);
        long factor = switch (unit.isEmpty() ? ' ' : unit.charAt(0)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            case 't' -> 1L << 40;
            default -> 1L;
        };
        return Math.multiplyExact(n, factor);
    }
}
