package io.pgops.events.model;

/** The shared rule of {@link ClusterId} and {@link NodeName}. */
final class Names {
    private Names() {}

    /**
     * Checks {@code value} against {@link ClusterId#PATTERN} (the rule of both names), by hand: names
     * are checked for every event consumed, and the loop is several times cheaper than the regex.
     */
    static void check(String value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is required");
        }
        if (!valid(value)) {
            throw new IllegalArgumentException("invalid " + what + " '" + value
                    + "': expected 1-63 characters of [a-z0-9_-] starting with a letter or digit");
        }
    }

    /** Whether {@code value} matches {@code ^[a-z0-9][a-z0-9_-]{0,62}$}. */
    static boolean valid(String value) {
        int n = value.length();
        if (n < 1 || n > 63) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (i > 0 && (c == '_' || c == '-'));
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
