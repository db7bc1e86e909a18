package io.pgops.maintenance.domain;

import io.pgops.events.replication.HostFactsReported;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The host settings PostgreSQL's documentation and the usual tuning guides ask for, judged from what a node's agent
 * reported: each with its value, the recommended value and why. A fact the agent could not read is
 * {@link Status#UNKNOWN}, never assumed fine.
 */
public final class HostSettingsAdvice {
    /** The verdict on one setting. */
    public enum Status {
        /** As recommended. */
        OK,
        /** Differs from the recommendation: change it on the host. */
        CHANGE,
        /** The agent could not read it. */
        UNKNOWN,
        /** Reported for what it feeds (the configuration advisor); no recommendation of its own. */
        INFO
    }

    /**
     * One host setting.
     *
     * @param setting its name, e.g. {@code vm.swappiness}
     * @param value its value on the host; {@code null} when unknown
     * @param recommended the recommended value, in words
     * @param status the verdict
     * @param why why that is recommended, and what the value means
     */
    public record Finding(String setting, String value, String recommended, Status status, String why) {}

    private HostSettingsAdvice() {}

    /**
     * The settings to change on the host ({@link Status#CHANGE}), as the differences a configuration check publishes
     * ({@code ConfigDriftDetected}): the setting's name, the recommended and the reported value ({@code unknown}
     * when not read), source {@code host}, nothing for PostgreSQL to restart, and why.
     */
    public static List<ConfigComparison.Drift> drifts(HostFactsReported f) {
        return assess(f).stream()
                .filter(x -> x.status() == Status.CHANGE)
                .map(x -> new ConfigComparison.Drift(
                        x.setting(),
                        x.recommended(),
                        x.value() == null ? "unknown" : x.value(),
                        "host",
                        false,
                        false,
                        x.why()))
                .toList();
    }

    public static List<Finding> assess(HostFactsReported f) {
        List<Finding> out = new ArrayList<>();
        out.add(swappiness(f.swappiness()));
        out.add(overcommit(f.overcommitMemory()));
        out.add(overcommitRatio(f.overcommitMemory(), f.overcommitRatio()));
        out.add(hugePages(f.transparentHugePages()));
        out.add(noatime(f.mountPoint(), f.mountOptions()));
        out.add(new Finding(
                "storage",
                f.storage(),
                "ssd or hdd, as the kernel reports the data directory's disk",
                "unknown".equals(f.storage()) ? Status.UNKNOWN : Status.INFO,
                "sets random_page_cost and effective_io_concurrency in the configuration advisor; from the disk's"
                        + " queue/rotational (a virtual disk may call itself rotational whatever lies beneath;"
                        + " declare host.storage to say otherwise)"));
        out.add(new Finding(
                "ram",
                f.ramBytes() == null
                        ? null
                        : String.format(Locale.ROOT, "%d bytes (%.1f GiB)", f.ramBytes(), f.ramBytes() / 1073741824.0),
                "—",
                f.ramBytes() == null ? Status.UNKNOWN : Status.INFO,
                "MemTotal of /proc/meminfo, or the cgroup's memory limit if lower; sizes shared_buffers, effective_cache_size, maintenance_work_mem and"
                        + " work_mem in the configuration advisor"));
        out.add(new Finding(
                "cpus",
                f.cpus() == null ? null : String.valueOf(f.cpus()),
                "—",
                f.cpus() == null ? Status.UNKNOWN : Status.INFO,
                "the CPUs the agent's process may use (affinity, cgroup quota); sizes the parallel workers in the"
                        + " configuration advisor"));
        return out;
    }

    static Finding swappiness(Integer v) {
        String why =
                "PostgreSQL leans on the page cache, but a backend or shared_buffers swapped out stalls every query"
                        + " it serves; a low swappiness makes the kernel drop cache before it swaps process memory";
        if (v == null) {
            return new Finding("vm.swappiness", null, "1 (at most 10)", Status.UNKNOWN, why);
        }
        return new Finding(
                "vm.swappiness",
                String.valueOf(v),
                "1 (at most 10)",
                v <= 10 ? Status.OK : Status.CHANGE,
                (v <= 10 ? "" : v + " lets the kernel swap PostgreSQL out early; ") + why);
    }

    static Finding overcommit(Integer v) {
        String why = "with 2 (strict) the kernel refuses an allocation it cannot back, and one query fails with"
                + " \"out of memory\"; with 0 or 1 the OOM killer may kill a backend instead, and the postmaster then"
                + " ends every session and restarts (PostgreSQL's documentation, Linux Memory Overcommit)";
        if (v == null) {
            return new Finding("vm.overcommit_memory", null, "2", Status.UNKNOWN, why);
        }
        return new Finding("vm.overcommit_memory", String.valueOf(v), "2", v == 2 ? Status.OK : Status.CHANGE, why);
    }

    static Finding overcommitRatio(Integer mode, Integer ratio) {
        String recommended = "80 or more with vm.overcommit_memory 2 (depends on the swap)";
        String why =
                "with overcommit_memory 2 the kernel commits at most swap + RAM × ratio %; the default 50 on a host"
                        + " with little swap leaves half the RAM unusable";
        if (ratio == null) {
            return new Finding("vm.overcommit_ratio", null, recommended, Status.UNKNOWN, why);
        }
        if (mode == null || mode != 2) {
            return new Finding(
                    "vm.overcommit_ratio",
                    String.valueOf(ratio),
                    recommended,
                    Status.INFO,
                    "used only with vm.overcommit_memory 2; " + why);
        }
        return new Finding(
                "vm.overcommit_ratio",
                String.valueOf(ratio),
                recommended,
                ratio >= 80 ? Status.OK : Status.CHANGE,
                why);
    }

    static Finding hugePages(String mode) {
        String why = "in always mode the kernel compacts and defragments memory behind PostgreSQL's many processes,"
                + " which shows as latency spikes; PostgreSQL uses explicit huge pages (huge_pages) instead";
        String setting = "transparent_hugepage";
        if (mode == null) {
            return new Finding(setting, null, "never (madvise is fine)", Status.UNKNOWN, why);
        }
        boolean ok = mode.equals("never") || mode.equals("madvise");
        return new Finding(setting, mode, "never (madvise is fine)", ok ? Status.OK : Status.CHANGE, why);
    }

    static Finding noatime(String mountPoint, String options) {
        String why = "without noatime a read of a data file may also write its access time, a write PostgreSQL never"
                + " needs (relatime limits it to about once a day per file)";
        String setting = "data directory mount" + (mountPoint == null ? "" : " (" + mountPoint + ")");
        if (options == null) {
            return new Finding(setting, null, "noatime", Status.UNKNOWN, why);
        }
        boolean has = Arrays.asList(options.split(",")).contains("noatime");
        return new Finding(setting, options, "noatime", has ? Status.OK : Status.CHANGE, why);
    }
}
