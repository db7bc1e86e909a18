package io.pgops.audit.domain;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What appending one batch to the chain does: which entries become rows (with their positions and
 * hashes), and how many were duplicates — already recorded, or repeated within the batch (a
 * redelivery). Computed while the chain head is locked, so no other writer can interleave.
 *
 * @param rows the rows to insert, in chain order
 * @param duplicates entries skipped because their event id is already recorded or repeated
 * @param head the chain head after the rows are inserted
 */
public record AppendPlan(List<ChainedEntry> rows, int duplicates, ChainLink head) {

    /**
     * Plans the append of {@code batch} after {@code head}.
     *
     * @param recordedIds event ids of the batch that the trail already holds
     */
    public static AppendPlan of(ChainLink head, List<AuditEntry> batch, Set<String> recordedIds) {
        Set<String> seen = new HashSet<>(recordedIds);
        List<ChainedEntry> rows = new ArrayList<>(batch.size());
        ChainLink last = head;
        MessageDigest sha = HashChain.sha256();
        for (AuditEntry entry : batch) {
            if (!seen.add(entry.eventId())) {
                continue;
            }
            ChainedEntry row = new ChainedEntry(last.seq() + 1, HashChain.link(sha, last.hash(), entry.bytes()), entry);
            rows.add(row);
            last = row.link();
        }
        return new AppendPlan(List.copyOf(rows), batch.size() - rows.size(), last);
    }
}
