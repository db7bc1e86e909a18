package io.pgops.audit.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.audit.ChainCheckpointed;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CheckpointsTest {
    static final Instant AT = Instant.parse("2026-11-25T03:00:00Z");
    static final ChainLink HEAD = new ChainLink(42, HashChain.link(new byte[32], new byte[] {7}));

    @Test
    void aCheckpointIsSignedByTheServiceKeyAndVerifiesWithTheEnclosedKey() throws Exception {
        KeyPair key = key();
        ChainCheckpointed c = Checkpoints.sign(HEAD, AT, key);
        assertEquals(42, c.seq());
        assertEquals(HEAD.hashHex(), c.hash());
        assertEquals(Checkpoints.keyId(key.getPublic()), c.keyId());
        assertNull(Checkpoints.untrusted(c, c.keyId()));
    }

    @Test
    void aCheckpointWhoseHashWasChangedNoLongerVerifies() throws Exception {
        ChainCheckpointed c = Checkpoints.sign(HEAD, AT, key());
        ChainCheckpointed forged = new ChainCheckpointed(
                c.cluster(),
                c.seq(),
                "0".repeat(64),
                c.algorithm(),
                c.keyId(),
                c.publicKey(),
                c.signature(),
                c.checkpointedAt());
        assertEquals("the signature is not valid", Checkpoints.untrusted(forged, null));
    }

    @Test
    void aCheckpointSignedByAnotherKeyThanThePinnedOneIsNotTrusted() throws Exception {
        ChainCheckpointed c = Checkpoints.sign(HEAD, AT, key());
        String pinned = Checkpoints.keyId(key().getPublic());
        assertTrue(Checkpoints.untrusted(c, pinned).contains("not by the pinned key"));
    }

    @Test
    void aStoredChainThatNoLongerHasTheSignedHashContradictsTheCheckpoint() throws Exception {
        ChainCheckpointed c = Checkpoints.sign(HEAD, AT, key());
        assertNull(Checkpoints.contradiction(c, HEAD));
        String rewritten = Checkpoints.contradiction(c, new ChainLink(42, new byte[32]));
        assertTrue(rewritten.contains("rewritten up to that row"), rewritten);
        assertTrue(Checkpoints.contradiction(c, null).contains("no longer in the trail"));
    }

    static KeyPair key() throws Exception {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }
}
