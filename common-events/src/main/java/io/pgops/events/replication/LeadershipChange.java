package io.pgops.events.replication;

import java.util.Set;

/** The kinds of leadership change the replication service carries out. */
public final class LeadershipChange {
    /** The primary was lost; a standby takes over. */
    public static final String FAILOVER = "failover";
    /** Planned: the primary hands over to a caught-up standby and is demoted. */
    public static final String SWITCHOVER = "switchover";
    /** An operator promoted a named node ({@link PromoteRequested}). */
    public static final String MANUAL = "manual";

    public static final Set<String> KINDS = Set.of(FAILOVER, SWITCHOVER, MANUAL);

    private LeadershipChange() {}
}
