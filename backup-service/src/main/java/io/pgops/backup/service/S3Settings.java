package io.pgops.backup.service;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * How to reach an S3-compatible repository. The credentials are given by reference only (a file, or the
 * environment's {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}), read when the client is built and never
 * part of this record's text.
 *
 * @param endpoint the server's URL for an S3-compatible server (MinIO, Ceph, s3proxy, …); empty: AWS's own
 * @param region the signing region ({@code us-east-1} unless the bucket says otherwise)
 * @param pathStyle {@code http://host/bucket/key} instead of {@code http://bucket.host/key} (most S3-compatible
 *     servers want it)
 * @param credentialsFile a properties file with {@code access-key-id} and {@code secret-access-key}; empty: the
 *     environment variables
 * @param partSize bytes per multipart part (at least 5 MiB, S3's minimum for every part but the last)
 * @param parallelParts how many parts are uploaded at once (each buffered in memory: parallelParts × partSize)
 */
public record S3Settings(
        Optional<URI> endpoint,
        String region,
        boolean pathStyle,
        Optional<Path> credentialsFile,
        long partSize,
        int parallelParts) {
    public static final long MIN_PART = 5L * 1024 * 1024;
    public static final long DEFAULT_PART = 16L * 1024 * 1024;
    public static final int DEFAULT_PARALLEL = 4;

    public S3Settings {
        if (partSize < MIN_PART || partSize > 512L * 1024 * 1024) {
            throw new IllegalArgumentException("the part size must be 5 MiB to 512 MiB, not " + partSize + " bytes");
        }
        if (parallelParts < 1 || parallelParts > 64) {
            throw new IllegalArgumentException("parallel parts must be 1 to 64, not " + parallelParts);
        }
        if (region == null || region.isBlank()) {
            region = "us-east-1";
        }
    }

    /** An access key pair; its text never shows the secret. */
    public record Credentials(String accessKeyId, String secretAccessKey) {
        @Override
        public String toString() {
            return "Credentials[accessKeyId=" + accessKeyId + ", secretAccessKey=***]";
        }
    }

    /** Reads the referenced credentials; a missing one is said without any secret in the words. */
    public Credentials credentials(Map<String, String> env) {
        if (credentialsFile.isPresent()) {
            Properties p = new Properties();
            try (var in = Files.newBufferedReader(credentialsFile.get())) {
                p.load(in);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the S3 credentials file " + credentialsFile.get() + ": "
                        + e.getClass().getSimpleName());
            }
            return require(
                    p.getProperty("access-key-id"),
                    p.getProperty("secret-access-key"),
                    "access-key-id and secret-access-key in " + credentialsFile.get());
        }
        return require(
                env.get("AWS_ACCESS_KEY_ID"),
                env.get("AWS_SECRET_ACCESS_KEY"),
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment (or a credentials file)");
    }

    private static Credentials require(String id, String secret, String where) {
        if (id == null || id.isBlank() || secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("S3 credentials missing: expected " + where);
        }
        return new Credentials(id.strip(), secret.strip());
    }
}
