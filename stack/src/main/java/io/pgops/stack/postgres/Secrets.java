package io.pgops.stack.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Generated passwords kept in files of mode 600 under one directory. Everything else refers to
 * them by path ("credentials by reference"), so no password appears on a command line or in a log.
 */
public record Secrets(Path dir) {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The password stored under {@code name}, generated on first use. */
    public String password(String name) {
        Path file = file(name);
        try {
            if (Files.exists(file)) {
                return Files.readString(file).strip();
            }
            Files.createDirectories(dir);
            byte[] raw = new byte[18];
            RANDOM.nextBytes(raw);
            String value = HexFormat.of().formatHex(raw);
            writePrivate(file, value + "\n");
            return value;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or write secret " + file, e);
        }
    }

    public Path file(String name) {
        return dir.resolve(name + ".password");
    }

    public static void writePrivate(Path file, String content) {
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file, e);
        }
    }
}
