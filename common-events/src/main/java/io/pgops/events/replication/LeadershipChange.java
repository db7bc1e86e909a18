package io.pgops.events.replication;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The kinds of leadership change the replication service carries out, with the code events carry for each. */
public enum LeadershipChange {
    /** The primary was lost; a standby takes over. */
    FAILOVER("failover"),
    /** Planned: the primary hands over to a caught-up standby and is demoted. */
    SWITCHOVER("switchover"),
    /** An operator promoted a named node ({@link PromoteRequested}). */
    MANUAL("manual");

    private final String code;

    LeadershipChange(String code) {
        this.code = code;
    }

    /** The code on the wire, e.g. {@code failover}. */
    @JsonValue
    public String code() {
        return code;
    }

    /**
     * The kind with this wire code.
     *
     * @throws IllegalArgumentException if {@code code} is not one of the codes
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static LeadershipChange of(String code) {
        for (LeadershipChange k : values()) {
            if (k.code.equals(code)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown leadership change '" + code + "': expected one of "
                + Arrays.stream(values()).map(LeadershipChange::code).collect(Collectors.joining(", ")));
    }

    /** The wire code, so that a kind reads in text as it does on the wire. */
    @Override
    public String toString() {
        return code;
    }
}
