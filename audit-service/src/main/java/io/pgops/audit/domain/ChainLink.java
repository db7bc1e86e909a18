package io.pgops.audit.domain;

/**
 * A position in the chain and the hash recorded there.
 *
 * @param seq the row's position, from 1, without gaps ({@code 0} is the genesis before row 1)
 * @param hash SHA-256, 32 bytes
 */
public record ChainLink(long seq, byte[] hash) {
    public String hashHex() {
        return HashChain.hex(hash);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChainLink l && seq == l.seq && java.util.Arrays.equals(hash, l.hash);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seq);
    }

    @Override
    public String toString() {
        return "ChainLink[" + seq + " " + hashHex() + "]";
    }
}
