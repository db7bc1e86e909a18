package io.pgops.backup.cli;

import io.pgops.backup.domain.S3Layout;
import io.pgops.backup.domain.S3Location;
import io.pgops.backup.service.BackupEngine;
import io.pgops.backup.service.EncryptionKey;
import io.pgops.backup.service.S3Backups;
import io.pgops.backup.service.S3Repository;
import io.pgops.backup.service.S3Settings;
import io.pgops.backup.service.S3Store;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The command line's {@code --s3-*} options: how to reach an {@code s3://bucket/prefix} repository. */
final class S3Options {
    private S3Options() {}

    /** Where backups are staged locally on their way to or from S3 when {@code --staging} is not given. */
    static String defaultStaging(Map<String, String> env) {
        String base = env.getOrDefault("PGOPS_DATA_DIR", "/var/tmp/pgops-" + env.getOrDefault("USER", "pgops"));
        return base + "/s3-staging";
    }

    static S3Settings settings(Map<String, String> o, Function<String, RuntimeException> usage) {
        try {
            return new S3Settings(
                    Optional.ofNullable(o.get("s3-endpoint")).map(URI::create),
                    o.getOrDefault("s3-region", "us-east-1"),
                    o.containsKey("s3-path-style"),
                    Optional.ofNullable(o.get("s3-credentials-file")).map(Path::of),
                    Long.parseLong(o.getOrDefault("s3-part-size-mib", "16")) * 1024 * 1024,
                    Integer.parseInt(o.getOrDefault("s3-parallel", String.valueOf(S3Settings.DEFAULT_PARALLEL))));
        } catch (IllegalArgumentException e) {
            throw usage.apply("--s3-*: " + e.getMessage());
        }
    }

    static S3Backups backups(
            S3Location where,
            Map<String, String> o,
            Map<String, String> env,
            BackupEngine staging,
            Function<String, RuntimeException> usage) {
        S3Store store;
        try {
            store = new S3Store(where, settings(o, usage), env);
        } catch (IllegalArgumentException e) {
            throw usage.apply(e.getMessage());
        }
        Optional<EncryptionKey> key;
        try {
            key = key(o, env, usage);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return new S3Backups(staging, new S3Repository(new S3Layout(where), store, key));
    }

    /** The key {@code --encryption-key} names ({@code file:} or {@code env:}), if given. */
    static Optional<EncryptionKey> key(
            Map<String, String> o, Map<String, String> env, Function<String, RuntimeException> usage) {
        try {
            return Optional.ofNullable(o.get("encryption-key")).map(r -> EncryptionKey.fromReference(r, env));
        } catch (IllegalArgumentException e) {
            throw usage.apply("--encryption-key: " + e.getMessage());
        }
    }
}
