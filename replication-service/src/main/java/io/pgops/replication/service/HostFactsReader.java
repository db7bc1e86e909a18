package io.pgops.replication.service;

import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.events.replication.HostFactsReported;
import io.pgops.replication.domain.HostFactsReading;
import io.pgops.replication.domain.HostFactsReading.Mount;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Reads the facts of the host this agent runs on from {@code /proc} and {@code /sys} (under {@code root}, {@code /}
 * but for tests). A file it cannot read leaves its fact unknown.
 */
public final class HostFactsReader {
    private final Path root;

    public HostFactsReader(Path root) {
        this.root = root;
    }

    /** The facts now; {@code dataDirectory} the node's data directory, if configured. */
    public HostFactsReported read(ClusterId cluster, NodeName node, Optional<String> dataDirectory) {
        Optional<String> dir = dataDirectory.map(HostFactsReader::real);
        Optional<Mount> mount = dir.flatMap(d -> HostFactsReading.mountOf(text("proc/self/mounts"), d));
        return new HostFactsReported(
                cluster,
                node,
                HostFactsReading.usableMemory(
                                HostFactsReading.memTotalBytes(text("proc/meminfo")),
                                HostFactsReading.memoryLimitBytes(text("sys/fs/cgroup/memory.max"))
                                        .or(() -> HostFactsReading.memoryLimitBytes(
                                                text("sys/fs/cgroup/memory/memory.limit_in_bytes"))))
                        .orElse(null),
                Runtime.getRuntime().availableProcessors(),
                HostFactsReading.integer(text("proc/sys/vm/swappiness")).orElse(null),
                HostFactsReading.integer(text("proc/sys/vm/overcommit_memory")).orElse(null),
                HostFactsReading.integer(text("proc/sys/vm/overcommit_ratio")).orElse(null),
                HostFactsReading.selectedMode(text("sys/kernel/mm/transparent_hugepage/enabled"))
                        .filter(HostFactsReported.THP_MODES::contains)
                        .orElse(null),
                dataDirectory.orElse(null),
                mount.map(Mount::mountPoint).orElse(null),
                mount.map(Mount::options).orElse(null),
                mount.map(m -> HostFactsReading.storage(rotational(m.device()))).orElse("unknown"),
                Instant.now());
    }

    /**
     * {@code queue/rotational} of the disk under {@code device} ({@code /dev/sdb1}, a {@code /dev/mapper} link):
     * {@code /sys/class/block/<name>} is the device itself, a partition's disk is its parent directory.
     */
    private String rotational(String device) {
        if (!device.startsWith("/dev/")) {
            return null; // tmpfs, overlay, a network filesystem: no block device to ask
        }
        String name = real(device).replaceFirst("^/dev/", "");
        try {
            Path block = root.resolve("sys/class/block").resolve(name).toRealPath();
            Path disk = Files.exists(block.resolve("partition")) ? block.getParent() : block;
            return procText(disk.resolve("queue/rotational"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private String text(String relative) {
        try {
            return procText(root.resolve(relative));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The whole file, asked for in large reads. {@code Files.readString} sees a {@code /proc} file's size 0, reads one
     * byte and then asks from offset 1, where {@code /proc/sys} answers end of file: {@code 60} read as {@code 6}
     * (seen on this project's machines).
     */
    static String procText(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf, 0, buf.length)) > 0; ) {
                out.write(buf, 0, n);
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private static String real(String path) {
        try {
            return Path.of(path).toRealPath().toString();
        } catch (IOException | RuntimeException e) {
            return Path.of(path).toAbsolutePath().normalize().toString();
        }
    }
}
