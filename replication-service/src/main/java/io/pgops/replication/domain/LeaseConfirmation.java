package io.pgops.replication.domain;

import io.pgops.events.model.NodeName;
import io.pgops.events.model.Term;
import io.pgops.events.replication.TopologyChanged;
import java.util.Optional;

/**
 * The failsafe's rule, on each other agent of the cluster: a primary that cannot renew its lease through the
 * coordinator (Kafka unreachable) keeps it only while every other agent confirms, directly, that the newest
 * topology it has read names that primary. An agent that confirmed refuses to be promoted, or to follow another
 * primary, for a ttl (see {@code AgentNode}). Pure.
 */
public final class LeaseConfirmation {
    private LeaseConfirmation() {}

    /**
     * @param confirmed whether this agent confirms
     * @param term the term of the newest topology this agent has read (the primary may raise its own to it)
     * @param reason why, in words
     */
    public record Verdict(boolean confirmed, Term term, String reason) {}

    /**
     * @param latest the newest committed topology this agent has read
     * @param primary the node that asks
     * @param term the term the asking node holds its lease under (for the record: an agent that has not read
     *     that term yet still confirms when the topology it has read names the same primary)
     * @param self this agent's node
     * @param selfWritable whether this agent's own node is a writable primary
     * @param grantedTerm the term of the lease credential the asking node showed (verified as the coordinators'
     *     and meant for it): a grant of an earlier term than the topology this agent has read proves no lease now
     */
    public static Verdict judge(
            Optional<TopologyChanged> latest,
            NodeName primary,
            Term term,
            NodeName self,
            boolean selfWritable,
            Term grantedTerm) {
        if (latest.isEmpty()) {
            return new Verdict(false, Term.ZERO, self + " has read no topology: it cannot confirm " + primary);
        }
        TopologyChanged t = latest.get();
        if (primary.equals(self)) {
            return new Verdict(false, t.term(), "a node does not confirm its own lease");
        }
        if (!t.targetPrimary().equals(primary)) {
            return new Verdict(
                    false,
                    t.term(),
                    "the topology of term " + t.term().value() + " names " + t.targetPrimary() + ", not " + primary);
        }
        if (!grantedTerm.equals(t.term())) {
            return new Verdict(
                    false,
                    t.term(),
                    primary + " shows a lease granted in term " + grantedTerm.value() + "; the topology " + self
                            + " has read is of term " + t.term().value());
        }
        if (selfWritable) {
            return new Verdict(false, t.term(), self + " is itself a writable primary: it confirms no other");
        }
        return new Verdict(
                true, t.term(), "the topology of term " + t.term().value() + " " + self + " has read names " + primary);
    }
}
