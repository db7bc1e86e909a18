package io.pgops.replication.domain;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a host's facts from the text of {@code /proc} and {@code /sys} files, as the agent finds them. A file that
 * is missing or does not say what is expected gives nothing: a fact is reported unknown, never guessed.
 */
public final class HostFactsReading {
    private static final Pattern MEM_TOTAL = Pattern.compile("(?m)^MemTotal:\\s+([0-9]+)\\s*kB\\s*$");
    private static final Pattern SELECTED = Pattern.compile("\\[([a-z]+)]");
    private static final Pattern OCTAL = Pattern.compile("\\\\([0-7]{3})");

    private HostFactsReading() {}

    /** {@code MemTotal} of {@code /proc/meminfo}, in bytes (the file says kB, meaning KiB). */
    public static Optional<Long> memTotalBytes(String meminfo) {
        if (meminfo == null) {
            return Optional.empty();
        }
        Matcher m = MEM_TOTAL.matcher(meminfo);
        return m.find() ? Optional.of(Long.parseLong(m.group(1)) * 1024) : Optional.empty();
    }

    /**
     * A cgroup's memory limit in bytes: {@code memory.max} (v2; {@code max} is none) or {@code memory.limit_in_bytes}
     * (v1; a value of 2^60 or more is the kernel's "no limit", 9223372036854771712 on x86-64).
     */
    public static Optional<Long> memoryLimitBytes(String content) {
        if (content == null || !content.strip().matches("[0-9]{1,19}")) {
            return Optional.empty();
        }
        long v = Long.parseLong(content.strip());
        return v >= (1L << 60) || v == 0 ? Optional.empty() : Optional.of(v);
    }

    /** The memory PostgreSQL may use: {@code MemTotal}, or a lower cgroup limit (a container's). */
    public static Optional<Long> usableMemory(Optional<Long> memTotal, Optional<Long> limit) {
        if (memTotal.isEmpty()) {
            return limit;
        }
        return Optional.of(limit.map(l -> Math.min(l, memTotal.get())).orElse(memTotal.get()));
    }

    /** A {@code /proc/sys} value that is one integer, e.g. {@code vm.swappiness}. */
    public static Optional<Integer> integer(String content) {
        if (content == null || !content.strip().matches("-?[0-9]{1,9}")) {
            return Optional.empty();
        }
        return Optional.of(Integer.parseInt(content.strip()));
    }

    /** The selected mode of {@code /sys/kernel/mm/transparent_hugepage/enabled}: {@code always [madvise] never}. */
    public static Optional<String> selectedMode(String content) {
        if (content == null) {
            return Optional.empty();
        }
        Matcher m = SELECTED.matcher(content);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** {@code ssd}, {@code hdd} or {@code unknown} from {@code /sys/block/<dev>/queue/rotational}. */
    public static String storage(String rotational) {
        if (rotational == null) {
            return "unknown";
        }
        return switch (rotational.strip()) {
            case "0" -> "ssd";
            case "1" -> "hdd";
            default -> "unknown";
        };
    }

    /**
     * One line of {@code /proc/self/mounts}.
     *
     * @param device the source, e.g. {@code /dev/nvme0n1p2} (or {@code overlay}, {@code tmpfs})
     * @param mountPoint where it is mounted
     * @param type the filesystem type
     * @param options the mount options, comma-separated
     */
    public record Mount(String device, String mountPoint, String type, String options) {}

    /**
     * The filesystem that holds {@code path} (an absolute path without symbolic links): the mount whose mount point
     * is the longest prefix of it; of several on the same point the last one, which hides the others.
     */
    public static Optional<Mount> mountOf(String mounts, String path) {
        if (mounts == null || path == null || !path.startsWith("/")) {
            return Optional.empty();
        }
        Mount best = null;
        for (String line : mounts.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 4) {
                continue;
            }
            Mount m = new Mount(unescape(f[0]), unescape(f[1]), f[2], f[3]);
            if (holds(m.mountPoint(), path)
                    && (best == null
                            || m.mountPoint().length() >= best.mountPoint().length())) {
                best = m;
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean holds(String mountPoint, String path) {
        return mountPoint.equals("/")
                || path.equals(mountPoint)
                || path.startsWith(mountPoint.endsWith("/") ? mountPoint : mountPoint + "/");
    }

    /** {@code /proc/self/mounts} writes a space as {@code \040}, a tab {@code \011}, a backslash {@code \134}. */
    static String unescape(String s) {
        Matcher m = OCTAL.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 8))));
        }
        m.appendTail(out);
        return out.toString();
    }
}
