package io.pgops.backup.service;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Streaming AES-256-GCM for one file, in chunks so that a file of any size streams in constant memory (the STREAM
 * construction: one GCM message per chunk, its nonce the file's random prefix, the chunk's number and a flag on
 * the last chunk, so chunks cannot be reordered, dropped, repeated or cut off without the tag failing).
 *
 * <pre>
 * header (28 bytes): "PGOPSGCM" | version 1 (1 byte) | chunk size (4 bytes, big-endian) | key id (8 bytes)
 *                    | nonce prefix (7 random bytes, new for every file)
 * chunks:            AES-256-GCM(plaintext chunk) with its 16-byte tag; every chunk holds chunk-size bytes of
 *                    plaintext but the last, which holds the rest (0 to chunk-size bytes; an empty file is one empty
 *                    last chunk)
 * nonce of chunk i:  nonce prefix (7) | i (4 bytes, big-endian) | 1 on the last chunk, else 0 (1)
 * associated data:   the header, for every chunk (it binds the key id, the chunk size and the prefix)
 * </pre>
 */
public final class ChunkedGcm {
    static final byte[] MAGIC = "PGOPSGCM".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int HEADER = 28;
    static final int TAG = 16;
    public static final int DEFAULT_CHUNK = 1 << 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The stream is not what the key made: altered, cut off, or of another key or format. */
    public static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    private ChunkedGcm() {}

    public static void encrypt(InputStream in, OutputStream out, EncryptionKey key, int chunkSize) throws IOException {
        byte[] prefix = new byte[7];
        RANDOM.nextBytes(prefix);
        byte[] header = header(chunkSize, key.id(), prefix);
        out.write(header);
        byte[] cur = in.readNBytes(chunkSize);
        for (int i = 0; ; i++) {
            byte[] next = cur.length < chunkSize ? new byte[0] : in.readNBytes(chunkSize);
            boolean last = next.length == 0;
            out.write(crypt(Cipher.ENCRYPT_MODE, key, prefix, i, last, header, cur));
            if (last) {
                return;
            }
            cur = next;
        }
    }

    /** {@code plain} encrypted into the new file {@code out} (mode 600), synced before this returns. */
    public static void encryptFile(Path plain, Path out, EncryptionKey key) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(plain), DEFAULT_CHUNK);
                FileChannel ch = FileChannel.open(
                        out, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), OWNER_ONLY);
                OutputStream o = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
            encrypt(in, o, key, DEFAULT_CHUNK);
            o.flush();
            ch.force(true);
        }
    }

    /**
     * {@code encrypted} decrypted into the new file {@code out} (mode 600); when a chunk does not authenticate (or
     * anything else fails) {@code out} is removed and the failure thrown: no partial plain file is left.
     */
    public static void decryptFile(Path encrypted, Path out, EncryptionKey key) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(encrypted), DEFAULT_CHUNK);
                OutputStream o =
                        new BufferedOutputStream(Files.newOutputStream(Files.createFile(out, OWNER_ONLY)), 1 << 16)) {
            decrypt(in, o, key);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(out);
            throw e;
        }
    }

    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    /** Decrypts into {@code out}; throws {@link Refused} at the first chunk that does not authenticate. */
    public static void decrypt(InputStream in, OutputStream out, EncryptionKey key) throws IOException {
        byte[] header = in.readNBytes(HEADER);
        if (header.length < HEADER || !Arrays.equals(header, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new Refused("not a pgops encrypted file (no PGOPSGCM header)");
        }
        ByteBuffer h = ByteBuffer.wrap(header).position(MAGIC.length);
        int version = h.get();
        int chunkSize = h.getInt();
        byte[] keyId = new byte[8];
        h.get(keyId);
        byte[] prefix = new byte[7];
        h.get(prefix);
        if (version != VERSION || chunkSize <= 0 || chunkSize > 64 << 20) {
            throw new Refused("unknown encrypted file format (version " + version + ", chunk " + chunkSize + ")");
        }
        if (!HexFormat.of().formatHex(keyId).equals(key.id())) {
            throw new Refused("encrypted with the key of id " + HexFormat.of().formatHex(keyId) + ", not with the key "
                    + key.id() + " given");
        }
        byte[] cur = in.readNBytes(chunkSize + TAG);
        for (int i = 0; ; i++) {
            byte[] next = cur.length < chunkSize + TAG ? new byte[0] : in.readNBytes(chunkSize + TAG);
            boolean last = next.length == 0;
            if (cur.length < TAG) {
                throw new Refused("cut off: chunk " + i + " is shorter than its tag");
            }
            out.write(crypt(Cipher.DECRYPT_MODE, key, prefix, i, last, header, cur));
            if (last) {
                return;
            }
            cur = next;
        }
    }

    private static byte[] header(int chunkSize, String keyId, byte[] prefix) {
        return ByteBuffer.allocate(HEADER)
                .put(MAGIC)
                .put((byte) VERSION)
                .putInt(chunkSize)
                .put(HexFormat.of().parseHex(keyId))
                .put(prefix)
                .array();
    }

    private static byte[] crypt(
            int mode, EncryptionKey key, byte[] prefix, int index, boolean last, byte[] aad, byte[] in)
            throws IOException {
        byte[] nonce = ByteBuffer.allocate(12)
                .put(prefix)
                .putInt(index)
                .put((byte) (last ? 1 : 0))
                .array();
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(mode, key.secret(), new GCMParameterSpec(TAG * 8, nonce));
            c.updateAAD(aad);
            return c.doFinal(in);
        } catch (AEADBadTagException e) {
            throw new Refused("chunk " + index + " does not authenticate: the file was altered, cut off or extended");
        } catch (GeneralSecurityException e) {
            throw new IOException("AES-GCM failed: " + e.getMessage(), e);
        }
    }
}
