package io.pgops.events.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** The role of a PostgreSQL node, with the code events carry for it ({@code "primary"}, …). */
public enum Role {
    /** Accepts writes ({@code pg_is_in_recovery()} is false). */
    PRIMARY("primary"),
    /** Replays WAL from the primary ({@code pg_is_in_recovery()} is true). */
    STANDBY("standby"),
    /** Deliberately stopped or cut off from clients, so it cannot accept writes. */
    FENCED("fenced"),
    /** Not answering probes; its role is unknown. */
    UNREACHABLE("unreachable");

    /** The roles a running, reachable node can report. */
    public static final Set<Role> RUNNING = Collections.unmodifiableSet(EnumSet.of(PRIMARY, STANDBY));

    private final String code;

    Role(String code) {
        this.code = code;
    }

    /** The code on the wire, e.g. {@code primary}. */
    @JsonValue
    public String code() {
        return code;
    }

    /**
     * The role with this wire code.
     *
     * @throws IllegalArgumentException if {@code code} is not one of the codes
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Role of(String code) {
        for (Role r : values()) {
            if (r.code.equals(code)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + code + "': expected one of "
                + Arrays.stream(values()).map(Role::code).collect(Collectors.joining(", ")));
    }

    /** The wire code, so that a role reads in text as it does on the wire. */
    @Override
    public String toString() {
        return code;
    }
}
