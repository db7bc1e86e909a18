package io.pgops.audit.service;

import io.pgops.audit.config.AuditConfig;
import io.pgops.audit.domain.Checkpoints;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The service's checkpoint signing key (Ed25519). Read from {@code pgops.audit.checkpoint.key-file}
 * (created there, mode 600, on first start); without that key a key is made per process, which
 * still signs but cannot be pinned across restarts. Only the key id is ever logged.
 */
@ApplicationScoped
public class CheckpointKey {
    private static final Logger LOG = Logger.getLogger(CheckpointKey.class);

    private final KeyPair key;

    public CheckpointKey(AuditConfig config) {
        this.key = config.checkpoint()
                .keyFile()
                .map(CheckpointKey::loadOrCreate)
                .orElseGet(() -> {
                    KeyPair k = generate();
                    LOG.warnf(
                            "no pgops.audit.checkpoint.key-file: checkpoints are signed with a per-process key %s",
                            Checkpoints.keyId(k.getPublic()));
                    return k;
                });
    }

    public KeyPair keyPair() {
        return key;
    }

    private static KeyPair loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                KeyFactory f = KeyFactory.getInstance(Checkpoints.ALGORITHM);
                KeyPair k = new KeyPair(
                        f.generatePublic(new X509EncodedKeySpec(decode(lines, "public "))),
                        f.generatePrivate(new PKCS8EncodedKeySpec(decode(lines, "private "))));
                LOG.infof("checkpoints are signed with key %s from %s", Checkpoints.keyId(k.getPublic()), file);
                return k;
            }
            KeyPair k = generate();
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(
                    file,
                    "public " + Base64.getEncoder().encodeToString(k.getPublic().getEncoded()) + "\nprivate "
                            + Base64.getEncoder().encodeToString(k.getPrivate().getEncoded()) + "\n");
            LOG.infof("created checkpoint key %s in %s", Checkpoints.keyId(k.getPublic()), file);
            return k;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            // the message names the file, never its content
            throw new IllegalStateException("cannot read or create the checkpoint key file " + file, e);
        }
    }

    private static byte[] decode(List<String> lines, String prefix) {
        return lines.stream()
                .filter(l -> l.startsWith(prefix))
                .findFirst()
                .map(l ->
                        Base64.getDecoder().decode(l.substring(prefix.length()).strip()))
                .orElseThrow(() -> new IllegalArgumentException("no line starting with '" + prefix + "'"));
    }

    private static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(Checkpoints.ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK 15+ has Ed25519", e);
        }
    }
}
