package io.pgops.backup.domain;

import java.util.regex.Pattern;

/**
 * An S3-compatible repository's address, {@code s3://bucket/prefix}: the bucket and the key prefix every object
 * of the repository lies under (empty: the bucket's top).
 *
 * @param bucket the bucket's name (S3's rules: 3–63 lower-case letters, digits, dots and hyphens)
 * @param prefix the key prefix without leading or trailing slashes; empty for the bucket's top
 */
public record S3Location(String bucket, String prefix) {
    public static final String SCHEME = "s3://";
    private static final Pattern BUCKET = Pattern.compile("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$");
    private static final Pattern PREFIX_PART = Pattern.compile("^[A-Za-z0-9._-]+$");

    public S3Location {
        if (bucket == null || !BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException(
                    "'" + bucket + "' is not an S3 bucket name (3-63 characters: a-z 0-9 . -)");
        }
        prefix = prefix == null ? "" : strip(prefix);
        for (String part : prefix.isEmpty() ? new String[0] : prefix.split("/")) {
            if (!PREFIX_PART.matcher(part).matches() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException(
                        "'" + prefix + "' is not a usable key prefix (parts of A-Z a-z 0-9 . _ - between slashes)");
            }
        }
    }

    /** Whether a repository argument names an S3 repository rather than a directory. */
    public static boolean isS3(String repository) {
        return repository != null && repository.startsWith(SCHEME);
    }

    /** Parses {@code s3://bucket} or {@code s3://bucket/some/prefix}. */
    public static S3Location parse(String url) {
        if (!isS3(url)) {
            throw new IllegalArgumentException("'" + url + "' is not an s3://bucket/prefix address");
        }
        String rest = url.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        return slash < 0
                ? new S3Location(rest, "")
                : new S3Location(rest.substring(0, slash), rest.substring(slash + 1));
    }

    private static String strip(String p) {
        String s = p;
        while (s.startsWith("/")) {
            s = s.substring(1);
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    @Override
    public String toString() {
        return SCHEME + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }
}
