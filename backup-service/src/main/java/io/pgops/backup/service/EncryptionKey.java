package io.pgops.backup.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * A 256-bit key for client-side encryption of backups, given by reference only: {@code file:/path} (the file holds
 * the 32 bytes raw, or their base64) or {@code env:NAME} (the variable holds their base64). Its {@link #id} is derived
 * from the key (SHA-256 of a label and the key, first 8 bytes in hex): recorded in the catalogue and in every
 * encrypted file's header, it tells which key a backup needs without revealing anything of it. Its text never shows
 * the key.
 */
public final class EncryptionKey {
    private static final byte[] ID_LABEL = "pgops-backup-key-id-v1".getBytes(StandardCharsets.US_ASCII);
    private final byte[] key;
    private final String id;

    EncryptionKey(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("an encryption key must be 32 bytes (AES-256), not " + key.length);
        }
        this.key = key.clone();
        this.id = idOf(this.key);
    }

    /** Reads the key a reference names; a bad reference is said without any of the key in the words. */
    public static EncryptionKey fromReference(String reference, Map<String, String> env) {
        if (reference.startsWith("file:")) {
            Path file = Path.of(reference.substring("file:".length()));
            byte[] raw;
            try {
                raw = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the encryption key file " + file + ": "
                        + e.getClass().getSimpleName());
            }
            if (raw.length == 32) {
                return new EncryptionKey(raw);
            }
            return decode(new String(raw, StandardCharsets.US_ASCII).strip(), "the file " + file);
        }
        if (reference.startsWith("env:")) {
            String name = reference.substring("env:".length());
            String value = env.get(name);
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("the environment variable " + name + " holds no encryption key");
            }
            return decode(value.strip(), "the environment variable " + name);
        }
        throw new IllegalArgumentException("an encryption key is given as file:/path or env:NAME, never itself");
    }

    private static EncryptionKey decode(String base64, String where) {
        byte[] k;
        try {
            k = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + " holds neither 32 raw bytes nor their base64");
        }
        if (k.length != 32) {
            throw new IllegalArgumentException(where + " holds " + k.length + " bytes, not the 32 of an AES-256 key");
        }
        return new EncryptionKey(k);
    }

    private static String idOf(byte[] key) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(ID_LABEL);
            d.update(key);
            return HexFormat.of().formatHex(Arrays.copyOf(d.digest(), 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key's id: 16 hex digits, safe to log and to record. */
    public String id() {
        return id;
    }

    SecretKey secret() {
        return new SecretKeySpec(key, "AES");
    }

    @Override
    public String toString() {
        return "EncryptionKey[id=" + id + "]";
    }
}
