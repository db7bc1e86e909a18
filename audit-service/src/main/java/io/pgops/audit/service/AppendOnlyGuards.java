package io.pgops.audit.service;

/**
 * What the database enforces about the audit table, as found at start: the service's answer to
 * "could the audit trail be rewritten, and by whom?".
 *
 * @param owner the role owning {@code audit_event}
 * @param serviceRole the role the service connects as
 * @param serviceMayUpdate whether the service role holds UPDATE on the table
 * @param serviceMayDelete whether the service role holds DELETE
 * @param serviceMayTruncate whether the service role holds TRUNCATE
 * @param rejectTriggers whether the enabled triggers rejecting UPDATE, DELETE and TRUNCATE (for
 *     every role, superusers included, unless triggers are bypassed) are in place
 */
public record AppendOnlyGuards(
        String owner,
        String serviceRole,
        boolean serviceMayUpdate,
        boolean serviceMayDelete,
        boolean serviceMayTruncate,
        boolean rejectTriggers) {

    /** True when the service role owns the table: it could grant itself UPDATE back or drop a trigger. */
    public boolean serviceOwnsTable() {
        return owner.equals(serviceRole);
    }

    /** One sentence for the log and the verify report. */
    public String summary() {
        String privileges = serviceMayUpdate || serviceMayDelete || serviceMayTruncate
                ? "the service role " + serviceRole + " may still UPDATE/DELETE/TRUNCATE"
                : "the service role " + serviceRole + " holds no UPDATE, DELETE or TRUNCATE";
        String triggers = rejectTriggers ? "triggers reject UPDATE, DELETE and TRUNCATE" : "NO rejecting triggers";
        String ownership = serviceOwnsTable()
                ? "it owns the table, so it could re-grant itself or drop a trigger: provision the table with a"
                        + " separate owner for full enforcement"
                : "the table is owned by " + owner;
        return privileges + "; " + triggers + "; " + ownership;
    }
}
