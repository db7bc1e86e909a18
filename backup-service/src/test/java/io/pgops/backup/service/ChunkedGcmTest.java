package io.pgops.backup.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkedGcmTest {
    static final int CHUNK = 16;
    static final EncryptionKey KEY = key(1);

    static EncryptionKey key(int seed) {
        byte[] k = new byte[32];
        new Random(seed).nextBytes(k);
        return new EncryptionKey(k);
    }

    static byte[] encrypt(byte[] plain, EncryptionKey key) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChunkedGcm.encrypt(new ByteArrayInputStream(plain), out, key, CHUNK);
        return out.toByteArray();
    }

    static byte[] decrypt(byte[] sealed, EncryptionKey key) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChunkedGcm.decrypt(new ByteArrayInputStream(sealed), out, key);
        return out.toByteArray();
    }

    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void filesOfEverySizeAroundTheChunkComeBackByteForByte() throws Exception {
        for (int n : new int[] {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 5}) {
            byte[] plain = bytes(n);
            byte[] sealed = encrypt(plain, KEY);
            int chunks = Math.max(1, (n + CHUNK - 1) / CHUNK);
            assertEquals(ChunkedGcm.HEADER + n + chunks * ChunkedGcm.TAG, sealed.length, "size for " + n);
            assertArrayEquals(plain, decrypt(sealed, KEY), "round trip of " + n + " bytes");
        }
    }

    @Test
    void theSameFileEncryptsDifferentlyEachTimeBecauseEachFileHasItsOwnRandomNonce() throws Exception {
        byte[] plain = bytes(40);
        assertNotEquals(Arrays.toString(encrypt(plain, KEY)), Arrays.toString(encrypt(plain, KEY)));
    }

    @Test
    void aFlippedByteAnywhereIsRefused() throws Exception {
        byte[] sealed = encrypt(bytes(3 * CHUNK + 5), KEY);
        for (int i = 0; i < sealed.length; i++) {
            byte[] bad = sealed.clone();
            bad[i] ^= 0x01;
            assertThrows(ChunkedGcm.Refused.class, () -> decrypt(bad, KEY), "flipped byte " + i);
        }
    }

    @Test
    void aFileCutOffAtAChunkBoundaryOrWithChunksSwappedIsRefused() throws Exception {
        byte[] sealed = encrypt(bytes(3 * CHUNK + 5), KEY);
        int c = CHUNK + ChunkedGcm.TAG;
        byte[] cut = Arrays.copyOf(sealed, ChunkedGcm.HEADER + 2 * c);
        assertThrows(ChunkedGcm.Refused.class, () -> decrypt(cut, KEY));
        byte[] swapped = sealed.clone();
        System.arraycopy(sealed, ChunkedGcm.HEADER, swapped, ChunkedGcm.HEADER + c, c);
        System.arraycopy(sealed, ChunkedGcm.HEADER + c, swapped, ChunkedGcm.HEADER, c);
        assertThrows(ChunkedGcm.Refused.class, () -> decrypt(swapped, KEY));
        assertThrows(ChunkedGcm.Refused.class, () -> decrypt(Arrays.copyOf(sealed, 10), KEY));
    }

    @Test
    void theWrongKeyIsRefusedNamingBothKeyIds() throws Exception {
        EncryptionKey other = key(2);
        var e = assertThrows(ChunkedGcm.Refused.class, () -> decrypt(encrypt(bytes(20), KEY), other));
        assertTrue(e.getMessage().contains(KEY.id()) && e.getMessage().contains(other.id()), e.getMessage());
    }

    @Test
    void aKeyIsReadRawOrInBase64FromAFileOrTheEnvironmentAndItsTextShowsOnlyItsId(@TempDir Path dir) throws Exception {
        byte[] k = new byte[32];
        new Random(9).nextBytes(k);
        String b64 = Base64.getEncoder().encodeToString(k);
        Files.write(dir.resolve("raw"), k);
        Files.writeString(dir.resolve("b64"), b64 + "\n");
        String id = EncryptionKey.fromReference("file:" + dir.resolve("raw"), Map.of())
                .id();
        assertEquals(
                id,
                EncryptionKey.fromReference("file:" + dir.resolve("b64"), Map.of())
                        .id());
        EncryptionKey fromEnv = EncryptionKey.fromReference("env:PGOPS_KEY", Map.of("PGOPS_KEY", b64));
        assertEquals(id, fromEnv.id());
        assertEquals(16, id.length());
        assertFalse(fromEnv.toString().contains(b64));
        assertThrows(IllegalArgumentException.class, () -> EncryptionKey.fromReference(b64, Map.of()));
        assertThrows(
                IllegalArgumentException.class,
                () -> EncryptionKey.fromReference("env:PGOPS_KEY", Map.of("PGOPS_KEY", "c2hvcnQ=")));
    }
}
