package io.pgops.maintenance.domain;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Decides whether a name from a request names exactly one object of the catalogue. A request writes
 * {@code schema.name}, or {@code name} for the schema {@code public}; nothing is parsed or unquoted: the
 * text is compared with what the catalogue holds, so {@code x; DROP TABLE y} is simply a table that does not
 * exist, and is refused before any statement names it.
 */
public final class CatalogueCheck {
    public static final String DEFAULT_SCHEMA = "public";
    private static final int MAX_SHOWN = 80;

    private CatalogueCheck() {}

    /** The request names no object, or more than one; the message says which and why, briefly. */
    public static final class UnknownObject extends RuntimeException {
        public UnknownObject(String message) {
            super(message);
        }
    }

    /**
     * Whether {@code requested} could name anything at all: at most two identifiers' worth of bytes and no
     * control characters. A request that fails this needs no catalogue lookup.
     */
    public static void checkShape(String requested, String what) {
        if (requested == null || requested.isBlank()) {
            throw new UnknownObject(what + " is required");
        }
        if (requested.getBytes(StandardCharsets.UTF_8).length > 2 * ObjectName.MAX_IDENTIFIER_BYTES + 1
                || requested.chars().anyMatch(Character::isISOControl)) {
            throw new UnknownObject(
                    what + " " + shown(requested) + " cannot name a relation (too long or with control characters)");
        }
    }

    /** Whether {@code candidate} is what {@code requested} names. */
    public static boolean names(String requested, ObjectName candidate) {
        return requested.equals(candidate.text())
                || (candidate.schema().equals(DEFAULT_SCHEMA) && requested.equals(candidate.name()));
    }

    /**
     * The one object of {@code found} (the catalogue's candidates, e.g. every table whose name or qualified
     * name equals the request) that {@code requested} names.
     *
     * @param what what was asked for, for the message, e.g. {@code table}
     * @throws UnknownObject if none or more than one matches
     */
    public static ObjectName resolve(String requested, String what, List<ObjectName> found) {
        checkShape(requested, what);
        List<ObjectName> matches =
                found.stream().filter(c -> names(requested, c)).distinct().toList();
        if (matches.isEmpty()) {
            throw new UnknownObject("no " + what + " " + shown(requested) + " in the catalogue (write schema.name, or"
                    + " name for the schema public)");
        }
        if (matches.size() > 1) {
            throw new UnknownObject(what + " " + shown(requested) + " is ambiguous: "
                    + matches.stream().map(ObjectName::text).toList() + "; name one by schema.name");
        }
        return matches.getFirst();
    }

    /** The request quoted for a message, shortened: a message never carries more than a few dozen characters. */
    static String shown(String requested) {
        String s = requested.length() > MAX_SHOWN ? requested.substring(0, MAX_SHOWN) + "…" : requested;
        return "'" + s.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
