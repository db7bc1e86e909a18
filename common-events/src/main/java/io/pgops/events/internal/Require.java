package io.pgops.events.internal;

import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/** Argument checks shared by the compact constructors of the event records; messages name the field. */
public final class Require {
    private static final Pattern WAL_SEGMENT = Pattern.compile("[0-9A-F]{24}");

    private Require() {}

    public static <T> T nonNull(T value, String field) {
        return Objects.requireNonNull(value, () -> field + " is required");
    }

    public static String text(String value, String field) {
        nonNull(value, field);
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        return value;
    }

    /** Like {@link #text} but accepts {@code null}. */
    public static String optionalText(String value, String field) {
        return value == null ? null : text(value, field);
    }

    public static String oneOf(String value, String field, Set<String> allowed) {
        nonNull(value, field);
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException(
                    field + " must be one of " + allowed.stream().sorted().toList() + " but was '" + value + "'");
        }
        return value;
    }

    /** An enum constant that must be one of {@code allowed}; the message names them by their text (wire code). */
    public static <E extends Enum<E>> E oneOf(E value, String field, Set<E> allowed) {
        nonNull(value, field);
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException(field + " must be one of "
                    + allowed.stream().sorted().map(String::valueOf).toList() + " but was '" + value + "'");
        }
        return value;
    }

    public static long nonNegative(long value, String field) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must be >= 0 but was " + value);
        }
        return value;
    }

    public static Long optionalNonNegative(Long value, String field) {
        return value == null ? null : nonNegative(value, field);
    }

    public static int positive(int value, String field) {
        if (value < 1) {
            throw new IllegalArgumentException(field + " must be >= 1 but was " + value);
        }
        return value;
    }

    public static long positive(long value, String field) {
        if (value < 1) {
            throw new IllegalArgumentException(field + " must be >= 1 but was " + value);
        }
        return value;
    }

    /** A text that matches {@code regex} as a whole. */
    public static String matches(String value, String field, String regex) {
        nonNull(value, field);
        if (!value.matches(regex)) {
            throw new IllegalArgumentException(field + " must match " + regex + " but was '" + value + "'");
        }
        return value;
    }

    public static int port(int value, String field) {
        if (value < 1 || value > 65_535) {
            throw new IllegalArgumentException(field + " must be a TCP port 1-65535 but was " + value);
        }
        return value;
    }

    public static double finite(double value, String field) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(field + " must be a finite number but was " + value);
        }
        return value;
    }

    /** A WAL segment file name as PostgreSQL writes it: 24 upper-case hex digits (timeline, log, segment). */
    public static String walSegment(String value, String field) {
        nonNull(value, field);
        if (!WAL_SEGMENT.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    field + " must be a WAL segment name of 24 upper-case hex digits but was '" + value + "'");
        }
        return value;
    }
}
