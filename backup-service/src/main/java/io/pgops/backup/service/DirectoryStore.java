package io.pgops.backup.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * An {@link ObjectStore} on a directory: the key {@code a/b/c} is the file {@code <root>/a/b/c}. Every object is
 * written under a hidden temporary name beside it and renamed when complete (so a reader never sees half of one);
 * directories are created mode 700, files mode 600. Names starting with a dot (temporary files, partial backups of
 * the plain engine) are never listed.
 */
public final class DirectoryStore implements ObjectStore {
    private final Path root;

    public DirectoryStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    private Path file(String key) {
        Path p = root.resolve(key).normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw new IllegalArgumentException("'" + key + "' is not a key inside " + root);
        }
        return p;
    }

    private static Path temporary(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".tmp");
    }

    private static void parents(Path target) throws IOException {
        Files.createDirectories(
                target.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    @Override
    public void upload(Path file, String key) throws IOException {
        Path target = file(key);
        parents(target);
        Path tmp = temporary(target);
        try {
            Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public void putBytes(String key, byte[] bytes) {
        Path target = file(key);
        try {
            parents(target);
            Path tmp = temporary(target);
            Files.write(tmp, bytes);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    @Override
    public byte[] getBytes(String key) {
        try {
            return Files.readAllBytes(file(key));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file(key), e);
        }
    }

    @Override
    public void download(String key, Path target) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".download");
        Files.copy(file(key), tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public List<String> keys(String prefix) {
        Path dir = prefix.isEmpty() ? root : file(prefix);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try (Stream<Path> all = Files.walk(dir)) {
            all.filter(Files::isRegularFile)
                    .map(root::relativize)
                    .filter(rel -> {
                        for (Path part : rel) {
                            if (part.toString().startsWith(".")) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .map(rel -> rel.toString().replace(java.io.File.separatorChar, '/'))
                    .sorted()
                    .forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return out;
    }

    @Override
    public List<String> children(String prefix) {
        Path dir = prefix.isEmpty() ? root : file(prefix);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> all = Files.list(dir)) {
            return all.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("."))
                    .sorted()
                    .map(n -> prefix + n + "/")
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            Files.deleteIfExists(file(key));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file(key), e);
        }
    }
}
