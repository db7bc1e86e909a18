package io.pgops.replication.domain;

import io.pgops.events.model.Term;

/**
 * Whether an agent may act on a command carrying {@code term}. A command from a coordinator that has
 * been replaced carries an older term than the agent has seen and is refused; a command whose term is
 * newer than every committed topology the agent has read is held until that topology arrives (it proves
 * the deciding coordinator's transaction committed, so Kafka had not fenced it), and refused if it never
 * does.
 */
public final class TermGuard {
    private TermGuard() {}

    public enum Verdict {
        /** Act. */
        ACCEPT,
        /** Refuse: a newer term has been seen, the sender is a stale coordinator. */
        STALE,
        /** Wait for the committed topology of this term, then ask again. */
        UNCONFIRMED
    }

    /**
     * @param command the command's term
     * @param highestSeen the highest term this agent has seen (committed topology or accepted command)
     * @param committed the term of the newest committed topology the agent has read
     */
    public static Verdict judge(Term command, Term highestSeen, Term committed) {
        if (highestSeen.isNewerThan(command)) {
            return Verdict.STALE;
        }
        if (command.isNewerThan(committed)) {
            return Verdict.UNCONFIRMED;
        }
        return Verdict.ACCEPT;
    }
}
