package io.pgops.kit.security;

/**
 * The three pgops roles, read from the bearer token's {@code groups} claim. Each role implies the ones
 * below it: an endpoint's {@code @RolesAllowed} lists every role that may call it (reads all three,
 * routine commands operator and admin, the rest admin alone), so a token needs only its highest role.
 */
public final class Roles {
    /** Reads: member tables, catalogues, reports, the audit trail, metrics. */
    public static final String VIEWER = "pgops-viewer";
    /** Routine commands: backups, maintenance, switchover, promotion without force, pause and resume. */
    public static final String OPERATOR = "pgops-operator";
    /** Commands that can lose data or override safety: forced promotion, reinit (rebuilds a node over its data). */
    public static final String ADMIN = "pgops-admin";

    private Roles() {}
}
