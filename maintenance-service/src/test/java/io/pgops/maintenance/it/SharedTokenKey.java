package io.pgops.maintenance.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * A random emergency-token key in a file of its own, given to the service by reference ({@code
 * pgops.maintenance.emergency.token-key=file:…}), as every instance of a deployment would be given the same one.
 */
public class SharedTokenKey implements QuarkusTestResourceLifecycleManager {
    private Path file;

    @Override
    public Map<String, String> start() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try {
            file = Files.createTempFile(
                    "pgops-emergency-key",
                    ".b64",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, Base64.getEncoder().encodeToString(key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("pgops.maintenance.emergency.token-key", "file:" + file);
    }

    @Override
    public void stop() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a temp file left behind holds a test key only
        }
    }
}
