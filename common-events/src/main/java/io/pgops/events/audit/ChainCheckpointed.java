package io.pgops.events.audit;

import io.pgops.events.EventDoc;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * The audit service signed the head of its hash chain. Kept outside pgops' database (on Kafka, by any
 * consumer), checkpoints make a rewrite of the audit table detectable even when the rewrite recomputes every
 * hash: row {@code seq} of the trail must still carry {@code hash}. The signature covers the UTF-8 text
 * {@code "pgops-audit-checkpoint.v1\n" + seq + "\n" + hash + "\n" + checkpointedAt} ({@link #signedText()}).
 *
 * @param cluster always {@link #SUITE}: the chain covers every cluster, and the envelope needs a subject
 * @param seq the position of the chain's last row when it was signed, {@code >= 1}
 * @param hash that row's chain hash: SHA-256, 64 lowercase hex digits
 * @param algorithm the signature algorithm, {@code Ed25519}
 * @param keyId the signing key's fingerprint: SHA-256 of its X.509 SubjectPublicKeyInfo encoding, 64 lowercase
 *     hex digits; pin it, and trust {@code publicKey} only when it matches
 * @param publicKey the signing public key, X.509 SubjectPublicKeyInfo encoding, base64
 * @param signature the signature of {@link #signedText()}, base64
 * @param checkpointedAt when the head was signed (UTC instant)
 */
@EventDoc("The audit service signed the head of its hash chain; keep it to detect a later rewrite of the trail.")
public record ChainCheckpointed(
        ClusterId cluster,
        long seq,
        String hash,
        String algorithm,
        String keyId,
        String publicKey,
        String signature,
        Instant checkpointedAt)
        implements AuditEvent {
    /** The subject of every checkpoint: the suite itself, not one managed cluster. */
    public static final ClusterId SUITE = ClusterId.of("pgops");

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public ChainCheckpointed {
        Require.nonNull(cluster, "cluster");
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be >= 1, got " + seq);
        }
        sha256Hex(hash, "hash");
        Require.text(algorithm, "algorithm");
        sha256Hex(keyId, "keyId");
        Require.text(publicKey, "publicKey");
        Require.text(signature, "signature");
        Require.nonNull(checkpointedAt, "checkpointedAt");
    }

    /** The text the signature covers. */
    public String signedText() {
        return signedText(seq, hash, checkpointedAt);
    }

    /** The text a checkpoint of {@code seq}/{@code hash} taken at {@code at} signs. */
    public static String signedText(long seq, String hash, Instant at) {
        return "pgops-audit-checkpoint.v1\n" + seq + "\n" + hash + "\n" + at;
    }

    private static void sha256Hex(String value, String field) {
        if (value == null || !SHA256_HEX.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be 64 lowercase hex digits (SHA-256), got " + value);
        }
    }
}
