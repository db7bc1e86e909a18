package io.pgops.backup.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How a base backup's data is compressed, with its wire code ({@code zstd}, {@code lz4}, {@code gzip},
 * {@code none}). Server-side where the server can (PostgreSQL 15+: the primary's CPU compresses and only
 * compressed bytes cross the network); older servers fall back to client gzip or none.
 */
public enum Compression {
    ZSTD("zstd", ".tar.zst"),
    LZ4("lz4", ".tar.lz4"),
    GZIP("gzip", ".tar.gz"),
    NONE("none", ".tar");

    private final String code;
    private final String suffix;

    Compression(String code, String suffix) {
        this.code = code;
        this.suffix = suffix;
    }

    /** The wire code, as in the catalogue and on the command line. */
    public String code() {
        return code;
    }

    public static Compression of(String code) {
        String c = code == null ? "" : code.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(v -> v.code.equals(c))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown compression '" + code + "': expected one of zstd, lz4, gzip, none"));
    }

    /** What is actually used against a server of major version {@code serverMajor}, and why. */
    public Plan planFor(int serverMajor) {
        return planFor(serverMajor, 1);
    }

    /**
     * As {@link #planFor(int)}, zstd compressed by {@code workers} threads on the server when more than one (the
     * source node's CPU: a standby's by default).
     */
    public Plan planFor(int serverMajor, int workers) {
        if (this == NONE) {
            return new Plan(NONE, List.of("--compress=none"), "no compression requested");
        }
        if (serverMajor >= 15 && this == ZSTD) {
            // level 1, not zstd's default 3: on pgbench data both faster (scale 200: 3.4-4.0 s against 4.9-5.6 s in
            // one walsender) and no larger (127 against 131 MB), backup-service/bench/backup-bench
            return new Plan(
                    this,
                    List.of("--compress=server-zstd:level=1" + (workers > 1 ? ",workers=" + workers : "")),
                    "zstd level 1" + (workers > 1 ? " in " + workers + " threads" : "") + " on the server (PostgreSQL "
                            + serverMajor + " compresses before sending)");
        }
        if (serverMajor >= 15) {
            return new Plan(
                    this,
                    List.of("--compress=server-" + code),
                    code + " on the server (PostgreSQL " + serverMajor + " compresses before sending)");
        }
        // before 15 the server cannot compress, and the client only knows gzip
        return new Plan(
                GZIP,
                List.of("--compress=6"),
                "PostgreSQL " + serverMajor + " cannot compress on the server: client-side gzip instead of " + code);
    }

    /** What the archives of this compression end with ({@code .tar.zst}). */
    public String archiveSuffix() {
        return suffix;
    }

    /** The name of the base archive this compression produces ({@code base.tar.zst}). */
    public String baseArchive() {
        return "base" + suffix;
    }

    /**
     * The compression actually used, the pg_basebackup arguments for it, and the reason in words.
     *
     * @param used the compression the stored archive has
     * @param arguments pg_basebackup arguments
     * @param reason why, e.g. {@code "zstd on the server (PostgreSQL 15 compresses before sending)"}
     */
    public record Plan(Compression used, List<String> arguments, String reason) {}
}
