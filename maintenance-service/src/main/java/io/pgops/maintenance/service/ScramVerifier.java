package io.pgops.maintenance.service;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A password as PostgreSQL stores it under {@code scram-sha-256} ({@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>
 * :<ServerKey>}, RFC 5802/7677), computed here as libpq's {@code PQencryptPasswordConn} does, so that a role's
 * password reaches the server only as its verifier: a {@code CREATE ROLE … PASSWORD} that {@code log_statement}
 * logs, or that lands in the audit of a statement, shows no password.
 */
public final class ScramVerifier {
    /** PostgreSQL's default {@code scram_iterations}. */
    public static final int ITERATIONS = 4096;

    private ScramVerifier() {}

    /**
     * The verifier of {@code password} with {@code salt} (16 random bytes in use). The password must be ASCII
     * (PostgreSQL applies SASLprep, which leaves printable ASCII unchanged; pgops makes its own passwords so).
     */
    public static String of(String password, byte[] salt, int iterations) {
        if (!password.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("the password must be printable ASCII without spaces");
        }
        try {
            SecretKeyFactory pbkdf2 = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            byte[] salted = pbkdf2.generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256))
                    .getEncoded();
            byte[] clientKey = hmac(salted, "Client Key");
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
            byte[] serverKey = hmac(salted, "Server Key");
            Base64.Encoder b64 = Base64.getEncoder();
            return "SCRAM-SHA-256$" + iterations + ":" + b64.encodeToString(salt) + "$" + b64.encodeToString(storedKey)
                    + ":" + b64.encodeToString(serverKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2 and HMAC-SHA-256 are part of every JDK", e);
        }
    }

    private static byte[] hmac(byte[] key, String text) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(text.getBytes(UTF_8));
    }
}
