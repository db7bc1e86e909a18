package io.pgops.audit.domain;

/**
 * An entry placed in the chain: the row to insert.
 *
 * @param seq its position in the chain
 * @param hash {@code SHA-256(previous hash || entry bytes)}
 * @param entry the event
 */
public record ChainedEntry(long seq, byte[] hash, AuditEntry entry) {
    public ChainLink link() {
        return new ChainLink(seq, hash);
    }
}
