package io.pgops.audit.domain;

import io.pgops.events.audit.ChainCheckpointed;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;

/**
 * Signed checkpoints of the chain head (Ed25519): what the audit service publishes so that a rewrite
 * of the whole table — one that recomputes every hash — is still detectable by whoever kept them.
 */
public final class Checkpoints {
    public static final String ALGORITHM = "Ed25519";

    private Checkpoints() {}

    /** The signed checkpoint of {@code head}, taken at {@code at}. */
    public static ChainCheckpointed sign(ChainLink head, Instant at, KeyPair key) {
        String text = ChainCheckpointed.signedText(head.seq(), head.hashHex(), at);
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(key.getPrivate());
            signer.update(text.getBytes(StandardCharsets.UTF_8));
            return new ChainCheckpointed(
                    ChainCheckpointed.SUITE,
                    head.seq(),
                    head.hashHex(),
                    ALGORITHM,
                    keyId(key.getPublic()),
                    Base64.getEncoder().encodeToString(key.getPublic().getEncoded()),
                    Base64.getEncoder().encodeToString(signer.sign()),
                    at);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a checkpoint with " + ALGORITHM, e);
        }
    }

    /**
     * Why a checkpoint cannot be trusted, or null when its signature is valid for its public key, that
     * key has its {@code keyId}, and — when {@code pinnedKeyId} is not null — that is the pinned key.
     */
    public static String untrusted(ChainCheckpointed c, String pinnedKeyId) {
        try {
            PublicKey key = KeyFactory.getInstance(ALGORITHM)
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(c.publicKey())));
            if (!keyId(key).equals(c.keyId())) {
                return "keyId " + c.keyId() + " is not the fingerprint of the enclosed public key";
            }
            if (pinnedKeyId != null && !pinnedKeyId.equals(c.keyId())) {
                return "signed by key " + c.keyId() + ", not by the pinned key " + pinnedKeyId;
            }
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(c.signedText().getBytes(StandardCharsets.UTF_8));
            return verifier.verify(Base64.getDecoder().decode(c.signature())) ? null : "the signature is not valid";
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return "the key or signature cannot be read: " + e.getMessage();
        }
    }

    /** Null when the stored chain still has, at the checkpoint's position, the hash it signed; else why not. */
    public static String contradiction(ChainCheckpointed c, ChainLink stored) {
        if (stored == null) {
            return "row " + c.seq() + " signed at " + c.checkpointedAt() + " is no longer in the trail";
        }
        if (!stored.hashHex().equals(c.hash())) {
            return "row " + c.seq() + " has hash " + stored.hashHex() + " but the checkpoint of " + c.checkpointedAt()
                    + " signed " + c.hash() + ": the trail was rewritten up to that row";
        }
        return null;
    }

    /** SHA-256 of the key's X.509 SubjectPublicKeyInfo encoding, hex. */
    public static String keyId(PublicKey key) {
        try {
            return HashChain.hex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
