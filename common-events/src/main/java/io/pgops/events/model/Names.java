package io.pgops.events.model;

import java.util.regex.Pattern;

/** The shared rule of {@link ClusterId} and {@link NodeName}. */
final class Names {
    private Names() {}

    static void check(String value, Pattern valid, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is required");
        }
        if (!valid.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid " + what + " '" + value
                    + "': expected 1-63 characters of [a-z0-9_-] starting with a letter or digit");
        }
    }
}
