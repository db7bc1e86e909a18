package io.pgops.replication.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.events.replication.HostFactsReported;
import io.pgops.replication.domain.HostFactsReading;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostFactsReaderTest {
    private static final ClusterId C = ClusterId.of("main");
    private static final NodeName N = NodeName.of("node1");

    @Test
    void readsThisMachinesOwnProcAndSys() throws IOException {
        assumeTrue(Files.isReadable(Path.of("/proc/meminfo")), "a Linux /proc");
        Path dataDir = Files.createTempDirectory("pgdata");
        try {
            HostFactsReported f = new HostFactsReader(Path.of("/")).read(C, N, Optional.of(dataDir.toString()));
            long memTotal =
                    HostFactsReading.memTotalBytes(firstLine("/proc/meminfo")).orElseThrow();
            assertTrue(f.ramBytes() > 0 && f.ramBytes() <= memTotal, "MemTotal or a lower cgroup limit: " + f);
            assertEquals(Runtime.getRuntime().availableProcessors(), f.cpus());
            assertEquals(Integer.valueOf(firstLine("/proc/sys/vm/swappiness")), f.swappiness());
            assertEquals(Integer.valueOf(firstLine("/proc/sys/vm/overcommit_memory")), f.overcommitMemory());
            assertEquals(Integer.valueOf(firstLine("/proc/sys/vm/overcommit_ratio")), f.overcommitRatio());
            assertNotNull(f.mountPoint(), "the temporary directory lies on some mount");
            assertNotNull(f.mountOptions());
            assertEquals(dataDir.toString(), f.dataDirectory());
            System.out.println("HostFactsReaderTest: this machine: " + f);
        } finally {
            Files.delete(dataDir);
        }
    }

    @Test
    void aDataDirectoryOnAPartitionOfARotatingDiskIsHdd(@TempDir Path root) throws IOException {
        write(root, "proc/meminfo", "MemTotal:        2048000 kB\n");
        write(root, "proc/sys/vm/swappiness", "1\n");
        write(root, "sys/fs/cgroup/memory.max", "1048576000\n");
        write(root, "proc/sys/vm/overcommit_memory", "2\n");
        write(root, "proc/sys/vm/overcommit_ratio", "80\n");
        write(root, "sys/kernel/mm/transparent_hugepage/enabled", "always madvise [never]\n");
        write(root, "proc/self/mounts", "/dev/sdb1 /pgtest ext4 rw,noatime 0 0\n");
        write(root, "sys/devices/pci0/sdb/queue/rotational", "1\n");
        write(root, "sys/devices/pci0/sdb/sdb1/partition", "1\n");
        Files.createDirectories(root.resolve("sys/class/block"));
        Files.createSymbolicLink(root.resolve("sys/class/block/sdb1"), root.resolve("sys/devices/pci0/sdb/sdb1"));

        HostFactsReported f = new HostFactsReader(root).read(C, N, Optional.of("/pgtest/15/main"));

        assertEquals(1_048_576_000L, f.ramBytes(), "the container's limit, below MemTotal");
        assertEquals(1, f.swappiness());
        assertEquals(2, f.overcommitMemory());
        assertEquals(80, f.overcommitRatio());
        assertEquals("never", f.transparentHugePages());
        assertEquals("/pgtest", f.mountPoint());
        assertEquals("rw,noatime", f.mountOptions());
        assertEquals("hdd", f.storage());
    }

    @Test
    void whatCannotBeReadIsUnknown(@TempDir Path root) {
        HostFactsReported f = new HostFactsReader(root).read(C, N, Optional.empty());
        assertNull(f.ramBytes());
        assertNull(f.swappiness());
        assertNull(f.overcommitMemory());
        assertNull(f.transparentHugePages());
        assertNull(f.mountOptions());
        assertEquals("unknown", f.storage());
    }

    /**
     * The first line as {@code cat} prints it: {@code Files.readString} reads one byte first, then asks from offset 1,
     * where {@code /proc/sys} answers end of file ({@code 6} for {@code 60}; {@code dd bs=1} shows the same).
     */
    private static String firstLine(String file) throws IOException {
        Process p = new ProcessBuilder("cat", file).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return out.lines().findFirst().orElseThrow().strip();
    }

    private static void write(Path root, String relative, String content) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }
}
