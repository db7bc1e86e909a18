package io.pgops.audit.domain;

import io.pgops.events.MalformedEventException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * Walks stored rows in chain order and stops at the first broken link. A row is intact when it
 * directly follows its predecessor (no gap), its hash is {@code SHA-256(predecessor's hash || its
 * recorded bytes)}, and its searchable columns say what its recorded bytes say. Feed rows with
 * {@link #accept} while it returns true.
 */
public final class ChainVerifier {
    private final long from;
    private final MessageDigest sha = HashChain.sha256();
    private ChainLink previous;
    private long checked;
    private Verification.BrokenLink broken;

    /**
     * @param start the link before the first row to check: {@link HashChain#GENESIS} for the whole
     *     chain; for a range, the stored hash of the row before it (trusted, not checked)
     */
    public ChainVerifier(ChainLink start) {
        this.previous = start;
        this.from = start.seq() + 1;
    }

    /** Checks the next row; false once the chain is broken (further rows prove nothing). */
    public boolean accept(StoredRow row) {
        if (broken != null) {
            return false;
        }
        long expected = previous.seq() + 1;
        if (row.seq() != expected) {
            broken = new Verification.BrokenLink(
                    expected,
                    null,
                    "row " + expected + " is missing: the row after " + previous.seq() + " is " + row.seq());
            return false;
        }
        String mismatch = mismatch(row);
        if (mismatch != null) {
            broken = new Verification.BrokenLink(row.seq(), row.columns().eventId(), mismatch);
            return false;
        }
        checked++;
        previous = new ChainLink(row.seq(), row.hash());
        return true;
    }

    public Verification result() {
        return new Verification(from, checked, previous, broken);
    }

    private String mismatch(StoredRow row) {
        byte[] expected = HashChain.link(sha, previous.hash(), row.columns().bytes());
        if (!Arrays.equals(expected, row.hash())) {
            return "hash does not match the row's recorded event and its predecessor's hash: the event or the hash"
                    + " of row " + row.seq() + " was changed";
        }
        AuditEntry recorded;
        try {
            recorded = AuditEntry.fromRecordedBytes(row.columns().bytes());
        } catch (MalformedEventException e) {
            return "the recorded event is not a valid event any more: " + e.reason();
        }
        return columnMismatch(row.columns(), recorded);
    }

    /** The first searchable column that differs from the hashed event, in words; null if none. */
    static String columnMismatch(AuditEntry stored, AuditEntry recorded) {
        String[][] pairs = {
            {"event_id", stored.eventId(), recorded.eventId()},
            {"type", stored.type(), recorded.type()},
            {"cluster_id", stored.cluster(), recorded.cluster()},
            {"node", stored.node(), recorded.node()},
            {"source", stored.source(), recorded.source()},
            {"event_time", str(stored.time()), str(recorded.time())},
            {"correlation_id", stored.correlationId(), recorded.correlationId()},
            {"principal", stored.principal(), recorded.principal()},
        };
        for (String[] p : pairs) {
            if (!Objects.equals(p[1], p[2])) {
                return "column " + p[0] + " says " + p[1] + " but the hashed event says " + p[2];
            }
        }
        return null;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
