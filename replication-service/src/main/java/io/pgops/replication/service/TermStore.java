package io.pgops.replication.service;

import io.pgops.events.model.Term;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The highest term an agent has seen, kept in a file beside its node's data directory so that a
 * restarted agent still refuses what it refused before: written to a temporary file, fsync'd, renamed
 * over the old one and the directory fsync'd, before the agent acts under a newer term.
 */
final class TermStore {
    private final Path file;

    TermStore(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** The stored term; {@link Term#ZERO} when none was stored yet. */
    Term load() {
        try {
            if (!Files.exists(file)) {
                return Term.ZERO;
            }
            String s = Files.readString(file, StandardCharsets.US_ASCII).strip();
            return Term.of(Long.parseLong(s));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the agent's term file " + file, e);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("the agent's term file " + file + " holds no term: fix or remove it", e);
        }
    }

    /** Stores {@code term} durably. */
    void save(Term term) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(dir);
            try (FileChannel c = FileChannel.open(
                    tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                c.write(ByteBuffer.wrap((term.value() + "\n").getBytes(StandardCharsets.US_ASCII)));
                c.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store term " + term + " in " + file, e);
        }
    }
}
