package io.pgops.maintenance.domain;

import io.pgops.maintenance.domain.HostFacts.Storage;
import io.pgops.maintenance.domain.HostFacts.Workload;
import java.util.ArrayList;
import java.util.List;

/**
 * Recommended settings for memory, WAL, checkpoints, planner costs and parallelism from a host's facts, with the
 * well-known PGTune formulas (le0pard/pgtune) as the start, each with its reason in words.
 */
public final class ConfigAdvisor {
    static final long KB = 1024;
    static final long MB = 1024 * KB;
    static final long GB = 1024 * MB;

    /** How a value is compared with {@code pg_settings}. */
    public enum Kind {
        /** A size: compared in bytes after {@code pg_settings.unit} is applied. */
        BYTES,
        /** A number: compared numerically. */
        NUMBER,
        /** Text: compared as {@code pg_settings.setting} prints it. */
        TEXT
    }

    /**
     * One recommended setting.
     *
     * @param value the canonical value: bytes for {@link Kind#BYTES}, the number or text otherwise
     * @param reason why, in words
     */
    public record Recommendation(String name, Kind kind, String value, String reason) {
        /** The value as {@code ALTER SYSTEM SET} takes it (sizes in kB, which every size parameter accepts). */
        public String sqlValue() {
            return kind == Kind.BYTES ? (Long.parseLong(value) / KB) + "kB" : value;
        }

        /** The value for people: sizes in the largest whole unit. */
        public String display() {
            return kind == Kind.BYTES ? size(Long.parseLong(value)) : value;
        }
    }

    private ConfigAdvisor() {}

    public static List<Recommendation> recommend(HostFacts h) {
        List<Recommendation> out = new ArrayList<>();
        Workload w = h.workload();
        long ram = h.ramBytes();
        long sharedBuffers = w == Workload.DESKTOP ? ram / 16 : ram / 4;
        out.add(bytes(
                "shared_buffers",
                sharedBuffers,
                w == Workload.DESKTOP ? "1/16 of RAM on a desktop" : "1/4 of RAM; the OS cache holds the rest"));
        long cache = w == Workload.DESKTOP ? ram / 4 : ram * 3 / 4;
        out.add(bytes(
                "effective_cache_size", cache, "what the planner may assume shared buffers and the OS cache hold"));
        long maintenance = Math.min(w == Workload.DW ? ram / 8 : ram / 16, 2 * GB);
        out.add(bytes(
                "maintenance_work_mem",
                maintenance,
                "VACUUM and CREATE INDEX memory: RAM/16 (RAM/8 for DW), at most 2GB"));
        out.add(new Recommendation(
                "checkpoint_completion_target",
                Kind.NUMBER,
                "0.9",
                "spread checkpoint writes over 90 % of the interval"));
        long walBuffers = Math.max(32 * KB, Math.min(sharedBuffers * 3 / 100, 16 * MB));
        if (walBuffers > 14 * MB) {
            walBuffers = 16 * MB; // PGTune: round up to one WAL segment
        }
        out.add(bytes("wal_buffers", walBuffers, "3 % of shared_buffers, at most one 16MB segment"));
        out.add(new Recommendation(
                "default_statistics_target",
                Kind.NUMBER,
                w == Workload.DW ? "500" : "100",
                w == Workload.DW ? "finer statistics for large analytical queries" : "PostgreSQL's default suits"));
        out.add(new Recommendation(
                "random_page_cost",
                Kind.NUMBER,
                h.storage() == Storage.HDD ? "4" : "1.1",
                h.storage() == Storage.HDD
                        ? "spinning disks: random reads cost about 4 sequential ones"
                        : "SSD/SAN: a random read costs about a sequential one"));
        out.add(new Recommendation(
                "effective_io_concurrency",
                Kind.NUMBER,
                switch (h.storage()) {
                    case SSD -> "200";
                    case SAN -> "300";
                    case HDD -> "2";
                },
                "concurrent I/O requests the storage serves well"));
        int cpus = h.cpus();
        int perGather = Math.min(4, (cpus + 1) / 2);
        if (cpus >= 4) {
            out.add(new Recommendation(
                    "max_worker_processes", Kind.NUMBER, Integer.toString(cpus), "one background worker per CPU"));
            out.add(new Recommendation(
                    "max_parallel_workers", Kind.NUMBER, Integer.toString(cpus), "parallel workers up to the CPUs"));
            out.add(new Recommendation(
                    "max_parallel_workers_per_gather",
                    Kind.NUMBER,
                    Integer.toString(perGather),
                    "half the CPUs per query, at most 4"));
            out.add(new Recommendation(
                    "max_parallel_maintenance_workers",
                    Kind.NUMBER,
                    Integer.toString(perGather),
                    "half the CPUs per index build, at most 4"));
        }
        int workers = cpus >= 4 ? cpus : 8; // PostgreSQL's default max_worker_processes below 4 CPUs
        long workMem = (ram - sharedBuffers)
                / ((long) (h.connections() + workers) * 3)
                / Math.max(1, cpus >= 4 ? perGather : 1);
        workMem = switch (w) {
            case DW, MIXED -> workMem / 2;
            case DESKTOP -> workMem / 6;
            case WEB, OLTP -> workMem;
        };
        workMem = Math.max(64 * KB, workMem / KB * KB);
        out.add(bytes(
                "work_mem",
                workMem,
                "(RAM - shared_buffers) / ((connections + workers) * 3) per sort or hash, for " + h.connections()
                        + " connections"));
        long[] wal = switch (w) {
            case WEB, MIXED -> new long[] {GB, 4 * GB};
            case OLTP -> new long[] {2 * GB, 8 * GB};
            case DW -> new long[] {4 * GB, 16 * GB};
            case DESKTOP -> new long[] {100 * MB, 2 * GB};
        };
        out.add(bytes("min_wal_size", wal[0], "WAL kept for reuse between checkpoints"));
        out.add(bytes("max_wal_size", wal[1], "WAL between checkpoints before one is forced"));
        return out;
    }

    private static Recommendation bytes(String name, long bytes, String reason) {
        return new Recommendation(name, Kind.BYTES, Long.toString(bytes / KB * KB), reason);
    }

    /** {@code 4GB}, {@code 512MB}, {@code 64kB}: the largest unit that divides the size. */
    public static String size(long bytes) {
        if (bytes % GB == 0) {
            return bytes / GB + "GB";
        }
        if (bytes % MB == 0) {
            return bytes / MB + "MB";
        }
        return bytes / KB + "kB";
    }
}
