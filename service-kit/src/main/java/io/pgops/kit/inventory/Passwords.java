package io.pgops.kit.inventory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a password by reference. The message of a failure names the file, never the content. */
public final class Passwords {
    private Passwords() {}

    public static String read(Inventory.Credentials credentials) {
        Path file = Path.of(credentials.passwordFile());
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the password file " + file + " for user "
                    + credentials.username() + ": " + e.getClass().getSimpleName());
        }
    }
}
