package io.pgops.audit.domain;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash chain over the audit trail: row {@code n}'s hash is {@code SHA-256(hash(n-1) ||
 * recorded bytes(n))}, and the row before the first is {@link #GENESIS} (32 zero bytes). Changing,
 * removing or inserting any row changes every later hash.
 */
public final class HashChain {
    /** The hash "before" row 1. */
    public static final ChainLink GENESIS = new ChainLink(0, new byte[32]);

    private HashChain() {}

    /** The hash of a row whose predecessor's hash is {@code previous}. */
    public static byte[] link(byte[] previous, byte[] recordedBytes) {
        return link(sha256(), previous, recordedBytes);
    }

    /** As {@link #link(byte[], byte[])}, with a SHA-256 digest reused across rows (reset by each digest). */
    static byte[] link(MessageDigest sha, byte[] previous, byte[] recordedBytes) {
        sha.update(previous);
        sha.update(recordedBytes);
        return sha.digest();
    }

    public static String hex(byte[] hash) {
        return HexFormat.of().formatHex(hash);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
