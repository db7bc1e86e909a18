package io.pgops.audit.domain;

/**
 * The outcome of walking the chain over a range.
 *
 * @param from the first position checked
 * @param checked how many rows were checked
 * @param last the last link found intact (the trusted start when no row was); null when even the start
 *     is missing
 * @param firstBroken the first broken link, or null when every checked row is intact
 */
public record Verification(long from, long checked, ChainLink last, BrokenLink firstBroken) {
    public boolean intact() {
        return firstBroken == null;
    }

    /**
     * Where the chain breaks, and why, in words.
     *
     * @param seq the position of the first row that does not follow from its predecessor
     * @param eventId that row's event id; null when the row is missing
     * @param reason what does not match
     */
    public record BrokenLink(long seq, String eventId, String reason) {}
}
