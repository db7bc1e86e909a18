package io.pgops.events;

/**
 * A request someone made: a command, named {@code …Requested}. It goes to the area's commands topic, is audited,
 * and the owning service answers with facts (started / completed / failed / refused).
 */
public interface OperatorCommand {
    /** Who asked: the authenticated user or service account, e.g. {@code alice@example.com}. */
    String principal();

    /** Why, in words, as the requester wrote it (shown in the audit log). */
    String reason();
}
