package io.pgops.audit.rest;

import io.pgops.audit.domain.ChainLink;
import io.pgops.audit.domain.Verification;
import io.pgops.audit.service.AppendOnlyGuards;
import io.pgops.events.audit.ChainCheckpointed;
import java.time.Instant;

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
 * @param checkpoint the last checkpoint this process published, checked against the stored chain;
 *     null before the first one
 */
public record VerifyReport(
        boolean intact,
        long from,
        long checked,
        Verification.BrokenLink firstBroken,
        Link lastIntact,
        Link head,
        Guards appendOnly,
        Checkpoint checkpoint) {

    /**
     * A published checkpoint and whether the stored chain still agrees with it.
     *
     * @param holds true when row {@code seq} still has the signed hash
     * @param contradiction why it does not hold, or null
     */
    public record Checkpoint(
            long seq, String hash, Instant checkpointedAt, String keyId, boolean holds, String contradiction) {
        static Checkpoint of(ChainCheckpointed c, String contradiction) {
            return new Checkpoint(
                    c.seq(), c.hash(), c.checkpointedAt(), c.keyId(), contradiction == null, contradiction);
        }
    }

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

    static VerifyReport of(Verification v, ChainLink head, AppendOnlyGuards guards, Checkpoint checkpoint) {
        return new VerifyReport(
                v.intact(),
                v.from(),
                v.checked(),
                v.firstBroken(),
                Link.of(v.last()),
                Link.of(head),
                Guards.of(guards),
                checkpoint);
    }
}
