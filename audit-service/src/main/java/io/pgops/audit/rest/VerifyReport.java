package io.pgops.audit.rest;

import io.pgops.audit.domain.ChainLink;
import io.pgops.audit.domain.Verification;
import io.pgops.audit.service.AppendOnlyGuards;

/**
 * The answer of {@code GET /audit/verify}.
 *
 * @param intact true when every checked row follows from its predecessor
 * @param from the first position checked
 * @param checked how many rows were found intact
 * @param firstBroken the first broken link, or null
 * @param lastIntact the last intact link (position and hash)
 * @param head the chain's current last row, to compare with a published checkpoint
 * @param appendOnly what the database enforces against rewriting the table
 */
public record VerifyReport(
        boolean intact,
        long from,
        long checked,
        Verification.BrokenLink firstBroken,
        Link lastIntact,
        Link head,
        Guards appendOnly) {

    /** A chain position and its hash (hex). */
    public record Link(long seq, String hash) {
        static Link of(ChainLink l) {
            return l == null ? null : new Link(l.seq(), l.hashHex());
        }
    }

    /**
     * @param summary the guards in one sentence
     */
    public record Guards(
            String owner,
            String serviceRole,
            boolean serviceOwnsTable,
            boolean serviceMayUpdate,
            boolean serviceMayDelete,
            boolean serviceMayTruncate,
            boolean rejectTriggers,
            String summary) {
        static Guards of(AppendOnlyGuards g) {
            return new Guards(
                    g.owner(),
                    g.serviceRole(),
                    g.serviceOwnsTable(),
                    g.serviceMayUpdate(),
                    g.serviceMayDelete(),
                    g.serviceMayTruncate(),
                    g.rejectTriggers(),
                    g.summary());
        }
    }

    static VerifyReport of(Verification v, ChainLink head, AppendOnlyGuards guards) {
        return new VerifyReport(
                v.intact(),
                v.from(),
                v.checked(),
                v.firstBroken(),
                Link.of(v.last()),
                Link.of(head),
                Guards.of(guards));
    }
}
