package io.pgops.events.replication;

import io.pgops.events.EventDoc;
import io.pgops.events.Nullable;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import java.time.Instant;
import java.util.Set;

/**
 * What the agent beside a node read of its host (from {@code /proc} and {@code /sys}), at its start and then
 * periodically. A fact the agent could not read is {@code null}, never guessed.
 *
 * @param cluster the cluster
 * @param node the node the reporting agent sits beside
 * @param ramBytes the memory PostgreSQL may use: {@code MemTotal} of {@code /proc/meminfo}, or the cgroup's memory
 *     limit if lower (a container's), bytes; {@code null} if unread
 * @param cpus the CPUs the agent's process may use (the JVM's view: affinity and cgroup quota); {@code null} if
 *     unread
 * @param swappiness {@code vm.swappiness} (0–200); {@code null} if unread
 * @param overcommitMemory {@code vm.overcommit_memory}: 0 heuristic, 1 always, 2 strict; {@code null} if unread
 * @param overcommitRatio {@code vm.overcommit_ratio}, percent of RAM (with 2); {@code null} if unread
 * @param transparentHugePages the selected mode of {@code /sys/kernel/mm/transparent_hugepage/enabled}:
 *     {@code always}, {@code madvise} or {@code never}; {@code null} if unread (e.g. a kernel without THP)
 * @param dataDirectory the node's data directory as the agent is configured with it; {@code null} if none is
 *     configured
 * @param mountPoint the mount point of the filesystem that holds the data directory (longest prefix in
 *     {@code /proc/self/mounts}); {@code null} if unread
 * @param mountOptions that filesystem's mount options as the kernel lists them, comma-separated, e.g.
 *     {@code rw,noatime}; {@code null} if unread
 * @param storage that filesystem's device as the kernel says ({@code /sys/block/<dev>/queue/rotational}):
 *     {@code ssd} (not rotational), {@code hdd} (rotational) or {@code unknown} (no block device found, e.g.
 *     overlay, tmpfs or a network filesystem)
 * @param reportedAt when the agent read the facts (UTC instant)
 */
@EventDoc("The agent beside a node reports its host's facts: RAM, CPUs, kernel memory settings, the data"
        + " directory's mount options and storage.")
public record HostFactsReported(
        ClusterId cluster,
        NodeName node,
        @Nullable Long ramBytes,
        @Nullable Integer cpus,
        @Nullable Integer swappiness,
        @Nullable Integer overcommitMemory,
        @Nullable Integer overcommitRatio,
        @Nullable String transparentHugePages,
        @Nullable String dataDirectory,
        @Nullable String mountPoint,
        @Nullable String mountOptions,
        String storage,
        Instant reportedAt)
        implements ReplicationEvent {
    public static final Set<String> STORAGES = Set.of("ssd", "hdd", "unknown");
    public static final Set<String> THP_MODES = Set.of("always", "madvise", "never");

    public HostFactsReported {
        Require.nonNull(cluster, "cluster");
        Require.nonNull(node, "node");
        Require.optionalNonNegative(ramBytes, "ramBytes");
        if (cpus != null) {
            Require.positive(cpus, "cpus");
        }
        if (transparentHugePages != null) {
            Require.oneOf(transparentHugePages, "transparentHugePages", THP_MODES);
        }
        Require.oneOf(storage, "storage", STORAGES);
        Require.nonNull(reportedAt, "reportedAt");
    }
}
