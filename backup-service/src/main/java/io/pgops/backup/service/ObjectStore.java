package io.pgops.backup.service;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The bytes side of an object repository ({@link S3Repository}): keys with slashes, whole objects written and read.
 * {@link S3Store} on an S3-compatible bucket; {@link DirectoryStore} on a directory, so that an encrypted filesystem
 * repository goes through the same catalogue, encryption and staging code as S3.
 */
public interface ObjectStore {
    /** Stores {@code file} under {@code key}. */
    void upload(Path file, String key) throws IOException;

    void putBytes(String key, byte[] bytes);

    /** The object's bytes, or null when there is no such key. */
    byte[] getBytes(String key);

    /** Copies {@code key} into {@code target}, which appears only once complete. */
    void download(String key, Path target) throws IOException;

    /** Every key under {@code prefix}. */
    List<String> keys(String prefix);

    /** The common prefixes one level below {@code prefix} (the "directories"), each ending with a slash. */
    List<String> children(String prefix);

    void delete(String key);
}
