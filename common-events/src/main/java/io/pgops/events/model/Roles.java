package io.pgops.events.model;

import java.util.Set;

/** The role names events use for a PostgreSQL node. */
public final class Roles {
    /** Accepts writes ({@code pg_is_in_recovery()} is false). */
    public static final String PRIMARY = "primary";
    /** Replays WAL from the primary ({@code pg_is_in_recovery()} is true). */
    public static final String STANDBY = "standby";
    /** Deliberately stopped or cut off from clients, so it cannot accept writes. */
    public static final String FENCED = "fenced";
    /** Not answering probes; its role is unknown. */
    public static final String UNREACHABLE = "unreachable";

    /** The roles a running, reachable node can report. */
    public static final Set<String> RUNNING = Set.of(PRIMARY, STANDBY);
    /** The roles a member of a topology can have. */
    public static final Set<String> MEMBER = Set.of(PRIMARY, STANDBY, FENCED, UNREACHABLE);

    private Roles() {}
}
